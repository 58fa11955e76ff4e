using System.Collections.Concurrent;
using System.Globalization;
using Serilog.Core;
using Serilog.Events;

namespace MessagingServer.TestSupport;

/// <summary>
/// Every log event of a server, as Serilog sees it. Register it as a service
/// (<c>services.AddSingleton&lt;ILogEventSink&gt;(capture)</c>); the server's logging reads sinks from DI.
/// </summary>
public sealed class LogCapture : ILogEventSink
{
    private readonly ConcurrentQueue<LogEvent> _events = new();

    public IReadOnlyList<LogEvent> Events => _events.ToArray();

    /// <summary>Each event as one line of text: level, rendered message, every property, exception.</summary>
    public IReadOnlyList<(LogEventLevel Level, string Text)> Lines => Events
        .Select(e => (e.Level, $"{e.RenderMessage(CultureInfo.InvariantCulture)} | " +
            string.Join(", ", e.Properties.Select(p => $"{p.Key}={p.Value}")) + $" | {e.Exception}"))
        .ToArray();

    public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);

    /// <summary>Everything a sink could write of an event: the template, the rendered message, each property and the exception.</summary>
    public static string Everything(LogEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return string.Join(
            '\n',
            new[] { e.MessageTemplate.Text, e.RenderMessage(CultureInfo.InvariantCulture), e.Exception?.ToString() ?? "" }
                .Concat(e.Properties.Select(p => $"{p.Key}={p.Value}")));
    }
}
