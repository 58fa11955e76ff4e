using System.Diagnostics;

namespace MessagingServer.Observability;

/// <summary>Tracing: one activity source for the socket → session → provider path, and correlation ids.</summary>
public static class Telemetry
{
    public const string SourceName = "MessagingServer";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>A new correlation id: the trace id of <paramref name="activity"/> when there is one.</summary>
    public static string CorrelationIdOf(Activity? activity) =>
        (activity?.TraceId ?? ActivityTraceId.CreateRandom()).ToHexString();

    /// <summary>Continues the trace named by a correlation id (a W3C trace id) in another part of the path.</summary>
    public static Activity? StartLinked(string name, ActivityKind kind, string? correlationId)
    {
        if (correlationId is { Length: 32 } && IsHex(correlationId))
        {
            var parent = new ActivityContext(ActivityTraceId.CreateFromString(correlationId), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, isRemote: true);
            return Source.StartActivity(name, kind, parent);
        }

        return Source.StartActivity(name, kind);
    }

    private static bool IsHex(string text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
