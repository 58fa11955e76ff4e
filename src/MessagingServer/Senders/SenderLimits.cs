namespace MessagingServer.Senders;

/// <summary>How one <see cref="SenderQueue"/> lets sends through (from <c>Twilio</c> settings when Twilio is on).</summary>
public sealed record SenderLimits
{
    /// <summary>No pacing (the loopback provider).</summary>
    public static readonly SenderLimits Unpaced = new() { Interval = TimeSpan.Zero, MaxQueued = 100_000, MaxInFlight = 64 };

    /// <summary>The least time between two calls' turns: 1 / <c>Twilio:MessagesPerSecond</c>.</summary>
    public required TimeSpan Interval { get; init; }

    /// <summary>Sends that may wait for this sender; beyond that a send is refused with <c>rate_limited</c>.</summary>
    public required int MaxQueued { get; init; }

    /// <summary>Calls to the provider under way at once for this sender.</summary>
    public required int MaxInFlight { get; init; }

    /// <summary>Answers remembered by message id, so a send asked for again is answered, never sent twice.</summary>
    public int RememberedOutcomes { get; init; } = 10_000;

    /// <summary>First pause of the whole sender after the provider still said "too many requests"; doubles up to <see cref="MaxThrottlePause"/>.</summary>
    public TimeSpan ThrottlePause { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxThrottlePause { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the sender waits for a session to store "call started" before it gives the turn up (not sent).</summary>
    public TimeSpan ClearanceTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>An empty sender with no call under way stops after this long.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(2);

    public static SenderLimits PerSecond(double messagesPerSecond, int maxInFlight, int maxQueued) => new()
    {
        Interval = TimeSpan.FromSeconds(1 / messagesPerSecond),
        MaxInFlight = maxInFlight,
        MaxQueued = maxQueued,
    };
}
