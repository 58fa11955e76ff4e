namespace MessagingServer.Domain.Sessions;

/// <summary>How much a session remembers in memory; the journal keeps everything.</summary>
public sealed record SessionLimits(int CachedEvents, int RememberedClientRefs, int RememberedProviderSids, int RememberedOutbound)
{
    public static readonly SessionLimits Default = new(10_000, 10_000, 10_000, 10_000);
}
