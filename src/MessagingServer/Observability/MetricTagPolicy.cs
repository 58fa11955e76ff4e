using System.Diagnostics.Metrics;
using OpenTelemetry.Metrics;

namespace MessagingServer.Observability;

/// <summary>
/// The runtime's HTTP client and Kestrel meters label their series with <c>server.address</c> and
/// <c>server.port</c>: the provider's host and port (a fake Twilio's 127.0.0.1 and port, a proxy's name) and our
/// own listening address, shown to whoever reads <c>/metrics</c>. For those meters only these tags are kept;
/// our own meter's tags are ours and carry no path or host.
/// </summary>
internal static class MetricTagPolicy
{
    private static readonly HashSet<string> FilteredMeters = new(StringComparer.Ordinal)
    {
        "System.Net.Http",
        "System.Net.NameResolution",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Http.Connections",
    };

    private static readonly string[] KeptTags =
    [
        "http.request.method", "http.response.status_code", "url.scheme", "error.type",
        "network.protocol.name", "network.protocol.version", "network.transport", "network.type",
        "tls.protocol.version", "http.connection.state", "kestrel.connection.end_reason",
        "signalr.connection.status", "signalr.transport",
    ];

    /// <summary>A view: null (the default stream) for every other meter.</summary>
    public static MetricStreamConfiguration? View(Instrument instrument)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        return FilteredMeters.Contains(instrument.Meter.Name) ? new MetricStreamConfiguration { TagKeys = KeptTags } : null;
    }
}
