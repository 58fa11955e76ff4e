namespace MessagingServer.Broadcasts;

/// <summary>Every message for the broadcast index (one entity cluster-wide) carries this marker, so the region routes it there.</summary>
public interface IForBroadcastIndex;

/// <summary>Messages handled by <see cref="BroadcastIndexActor"/>.</summary>
public static class BroadcastIndexCommands
{
    /// <summary>An unfinished broadcast: woken after restarts and node losses until it is unindexed. The reply, once stored, is <see cref="BroadcastIndexed"/>.</summary>
    public sealed record Index(string UserId, string BroadcastId) : IForBroadcastIndex;

    /// <summary>The broadcast has finished. Told, never answered.</summary>
    public sealed record Unindex(string UserId, string BroadcastId) : IForBroadcastIndex;

    /// <summary>From every node now and then (and when it starts): tell each unfinished broadcast to carry on. Never answered.</summary>
    public sealed class Wake : IForBroadcastIndex
    {
        public static readonly Wake Instance = new();

        private Wake()
        {
        }
    }
}

/// <summary>Reply to <see cref="BroadcastIndexCommands.Index"/>: stored.</summary>
public sealed record BroadcastIndexed(string UserId, string BroadcastId);
