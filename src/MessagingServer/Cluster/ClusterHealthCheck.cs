using Akka.Actor;
using Akka.Cluster;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MessagingServer.Cluster;

/// <summary>
/// Ready while this node is an Up member that a majority of the cluster can reach; not ready while it joins,
/// leaves, or is cut off (the split-brain resolver may down it).
/// </summary>
internal sealed class ClusterHealthCheck(ActorSystem system) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var cluster = Akka.Cluster.Cluster.Get(system);
        var state = cluster.State;
        var self = cluster.SelfMember;
        if (self.Status != MemberStatus.Up && self.Status != MemberStatus.WeaklyUp)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"this node is {self.Status}"));
        }

        var members = state.Members.Count;
        var unreachable = state.Unreachable.Count;
        if (state.Unreachable.Contains(self) || unreachable * 2 >= members)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"{unreachable} of {members} members unreachable"));
        }

        return Task.FromResult(HealthCheckResult.Healthy($"Up, {members} members, {unreachable} unreachable"));
    }
}
