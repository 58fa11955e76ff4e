using System.ComponentModel.DataAnnotations;

namespace MessagingServer.Sessions;

/// <summary>Session behaviour, bound from the <c>Messaging</c> section.</summary>
public sealed class ChatSessionOptions
{
    public const string Section = "Messaging";

    /// <summary>A session with no socket and no traffic for this long stops and frees its memory.</summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Frames waiting for one socket; a client that lets more pile up is closed with 1013.</summary>
    [Range(8, 1_000_000)]
    public int SocketBufferSize { get; set; } = 1024;

    /// <summary>How long a socket or webhook waits for its session before answering "unavailable".</summary>
    public TimeSpan SessionAskTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a send waits for the recipient's consent (its client number) before it is answered "unavailable".</summary>
    public TimeSpan ConsentCheckTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a new socket waits for its session to load before it is closed with 1011. Longer than
    /// <see cref="SessionAskTimeout"/>: after a restart every user reconnects at once and sessions load one
    /// after another from storage (about a thousand a second on SQLite here); a socket that waits is better
    /// than one closed and reconnecting into the same queue.
    /// </summary>
    public TimeSpan SessionConnectTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The newest events a session keeps in memory (and in its snapshots); older ones are read from the journal.</summary>
    [Range(10, 1_000_000)]
    public int CachedEvents { get; set; } = Domain.Sessions.SessionLimits.Default.CachedEvents;

    /// <summary>Final sends (delivered, failed, ...) a session keeps in memory besides every send still in progress.</summary>
    [Range(1, 1_000_000)]
    public int RememberedSends { get; set; } = Domain.Sessions.SessionLimits.Default.RememberedOutbound;

    /// <summary>ClientRefs remembered for dedup (within <see cref="DedupRetention"/>); a repeat is answered with its first send.</summary>
    [Range(1, 10_000_000)]
    public int RememberedClientRefs { get; set; } = Domain.Sessions.SessionLimits.Default.RememberedClientRefs;

    /// <summary>Provider SIDs of inbound messages remembered for dedup (within <see cref="DedupRetention"/>).</summary>
    [Range(1, 10_000_000)]
    public int RememberedInboundSids { get; set; } = Domain.Sessions.SessionLimits.Default.RememberedProviderSids;

    /// <summary>
    /// Threads a session keeps for <c>GET /api/users/{id}/conversations</c>: the most recently active ones, and every one
    /// with unread messages; an older thread is still in the journal and in its own history endpoint.
    /// </summary>
    [Range(10, 10_000_000)]
    public int RememberedConversations { get; set; } = Domain.Sessions.SessionLimits.Default.RememberedConversations;

    /// <summary>How long a clientRef or an inbound provider SID is remembered for dedup, at most.</summary>
    public TimeSpan DedupRetention { get; set; } = Domain.Sessions.SessionLimits.Default.DedupRetention;

    /// <summary>What a session keeps in memory, as the pure state takes it.</summary>
    public Domain.Sessions.SessionLimits ToLimits() =>
        new(CachedEvents, RememberedClientRefs, RememberedInboundSids, RememberedSends)
        {
            DedupRetention = DedupRetention,
            RememberedConversations = RememberedConversations,
        };

    /// <summary>Sends from one socket handled at once (their order is kept).</summary>
    [Range(1, 256)]
    public int SocketSendParallelism { get; set; } = 16;

    /// <summary>
    /// How often a session asks its sender again about sends with no answer yet (a request or an answer can be
    /// dropped when a node stops or a shard moves). Asking again never sends twice: the sender knows the id.
    /// </summary>
    public TimeSpan DispatchRetryInterval { get; set; } = TimeSpan.FromSeconds(10);
}
