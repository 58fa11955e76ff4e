using System.ComponentModel.DataAnnotations;

namespace MessagingServer.Security;

/// <summary>Abuse limits, bound from the <c>Limits</c> section.</summary>
public sealed class LimitsOptions
{
    public const string Section = "Limits";

    /// <summary>WebSocket handshakes one client IP may make per <see cref="HandshakeWindow"/>; more get 429.</summary>
    [Range(1, 1_000_000)]
    public int HandshakesPerWindow { get; set; } = 100;

    /// <summary>The fixed window over which <see cref="HandshakesPerWindow"/> is counted.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan HandshakeWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Open sockets of one user (all devices together); one more gets 429.</summary>
    [Range(1, 100_000)]
    public int MaxSocketsPerUser { get; set; } = 50;

    /// <summary>Open sockets of users on this server (all users together); one more gets 503.</summary>
    [Range(1, 10_000_000)]
    public int MaxSockets { get; set; } = 10_000;

    /// <summary>Open sockets of no user (<c>/affirm</c>), a pool of their own: they never take a user's slot; one more gets 503.</summary>
    [Range(0, 1_000_000)]
    public int MaxAnonymousSockets { get; set; } = 100;

    /// <summary>Open sockets from one client address (after forwarded headers), every path together; one more gets 429.</summary>
    [Range(1, 10_000_000)]
    public int MaxSocketsPerIp { get; set; } = 200;

    /// <summary>An anonymous socket that sends nothing for this long is closed with 1008.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan AnonymousIdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Sustained <c>send</c> requests per second per user (every socket and device together).</summary>
    [Range(0.01, 100_000)]
    public double SendsPerSecond { get; set; } = 10;

    /// <summary>How many <c>send</c>s a user may make at once after being idle.</summary>
    [Range(1, 1_000_000)]
    public int SendBurst { get; set; } = 20;
}
