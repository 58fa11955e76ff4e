using Akka.Actor;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MessagingServer.Health;

/// <summary>Ready while the actor system runs and has not begun to shut down.</summary>
internal sealed class ActorSystemHealthCheck(ActorSystem system) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (system.WhenTerminated.IsCompleted)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("actor system terminated"));
        }

        var shutdown = CoordinatedShutdown.Get(system);
        return Task.FromResult(shutdown.ShutdownReason is null
            ? HealthCheckResult.Healthy($"actor system '{system.Name}' up")
            : HealthCheckResult.Unhealthy($"actor system shutting down: {shutdown.ShutdownReason}"));
    }
}
