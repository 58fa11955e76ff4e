namespace MessagingServer.Domain.Sessions;

/// <summary>
/// How much a session remembers in memory; the journal keeps everything. A busy user's session holds the newest
/// <see cref="CachedEvents"/> events (older ones are read from the journal), every send not yet final plus the newest
/// <see cref="RememberedOutbound"/> final ones, and dedup keys for clientRefs and provider SIDs for
/// <see cref="DedupRetention"/> (at most the counts given): a clientRef whose send is no longer in memory is
/// answered from the journal.
/// </summary>
public sealed record SessionLimits(int CachedEvents, int RememberedClientRefs, int RememberedProviderSids, int RememberedOutbound)
{
    public static readonly SessionLimits Default = new(500, 10_000, 10_000, 200);

    /// <summary>Threads kept for the conversation list: the most recently active ones, and every one with unread messages.</summary>
    public int RememberedConversations { get; init; } = 1_000;

    /// <summary>How long a clientRef or provider SID is remembered for dedup (within its count).</summary>
    public TimeSpan DedupRetention { get; init; } = TimeSpan.FromHours(24);
}
