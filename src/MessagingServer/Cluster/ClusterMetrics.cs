using System.Diagnostics.Metrics;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using MessagingServer.Observability;
using MessagingServer.Sessions;

namespace MessagingServer.Cluster;

/// <summary>
/// Cluster instruments on the server's meter: members by status, unreachable members, and the session shards
/// this node hosts. Shard counts come from the region, asked at most once a second and read from the last answer,
/// so a scrape never waits on an actor.
/// </summary>
public sealed class ClusterMetrics
{
    private static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(1);
    private static readonly MemberStatus[] Statuses = Enum.GetValues<MemberStatus>();

    private readonly ActorSystem _system;
    private readonly IRequiredActor<ChatSessionRegistry> _sessions;
    private long _lastAsked;
    private volatile int _shards;

    public ClusterMetrics(MessagingMetrics metrics, ActorSystem system, IRequiredActor<ChatSessionRegistry> sessions)
    {
        _system = system;
        _sessions = sessions;
        var meter = metrics.Meter;
        meter.CreateObservableGauge("messaging.cluster.members", ObserveMembers, "{member}", "Cluster members by status");
        meter.CreateObservableGauge("messaging.cluster.unreachable", () => Akka.Cluster.Cluster.Get(_system).State.Unreachable.Count, "{member}", "Members this node's view marks unreachable");
        meter.CreateObservableGauge("messaging.cluster.shards", ObserveShards, "{shard}", "Session shards hosted on this node");
    }

    private IEnumerable<Measurement<int>> ObserveMembers()
    {
        var members = Akka.Cluster.Cluster.Get(_system).State.Members;
        foreach (var status in Statuses)
        {
            yield return new Measurement<int>(
                members.Count(m => m.Status == status),
                new KeyValuePair<string, object?>("status", status.ToString().ToLowerInvariant()));
        }
    }

    private int ObserveShards()
    {
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastAsked);
        if (now - last >= RefreshEvery.TotalMilliseconds && Interlocked.CompareExchange(ref _lastAsked, now, last) == last)
        {
            _ = RefreshAsync();
        }

        return _shards;
    }

    private async Task RefreshAsync()
    {
        try
        {
            var region = await _sessions.GetAsync();
            var state = await region.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, TimeSpan.FromSeconds(5));
            _shards = state.Shards.Count;
        }
        catch (Exception e) when (e is AskTimeoutException or TaskCanceledException or ActorNotFoundException)
        {
            // Keep the last figure; the next scrape asks again.
        }
    }
}
