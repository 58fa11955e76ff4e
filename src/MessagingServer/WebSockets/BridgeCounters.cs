namespace MessagingServer.WebSockets;

/// <summary>Live socket ↔ session bridges: a leak shows up here (and in the metrics) as a count that never falls.</summary>
public sealed class BridgeCounters
{
    private long _active;
    private long _overflowed;

    public long Active => Interlocked.Read(ref _active);

    /// <summary>Sockets closed with 1013 because their client did not keep up.</summary>
    public long Overflowed => Interlocked.Read(ref _overflowed);

    internal void Opened() => Interlocked.Increment(ref _active);

    internal void Closed() => Interlocked.Decrement(ref _active);

    internal void Overflow() => Interlocked.Increment(ref _overflowed);
}
