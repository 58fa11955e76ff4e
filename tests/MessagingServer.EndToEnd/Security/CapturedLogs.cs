using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;

namespace MessagingServer.EndToEnd.Security;

/// <summary>A Serilog sink registered in DI (the server reads sinks from services), keeping every event.</summary>
public sealed class CapturedLogs : ILogEventSink
{
    private readonly ConcurrentQueue<LogEvent> _events = new();

    public IReadOnlyCollection<LogEvent> Events => _events;

    public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);

    /// <summary>Everything a sink could write of an event: the rendered message, each property and the exception.</summary>
    public static string Everything(LogEvent e) =>
        string.Join(
            '\n',
            new[] { e.MessageTemplate.Text, e.RenderMessage(System.Globalization.CultureInfo.InvariantCulture), e.Exception?.ToString() ?? "" }
                .Concat(e.Properties.Select(p => $"{p.Key}={p.Value}")));
}
