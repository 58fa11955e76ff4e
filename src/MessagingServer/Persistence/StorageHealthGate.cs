using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MessagingServer.Persistence;

/// <summary>
/// Shares one storage probe between the readiness requests of <see cref="PersistenceOptions.HealthCheckInterval"/>
/// (a second by default): <c>/health/ready</c> answers
/// anyone, and each probe is a write transaction, so a flood of requests must not become a flood of writes
/// contending with the journal. A probe still running is joined, not repeated.
/// </summary>
internal sealed class StorageHealthGate(TimeProvider clock, TimeSpan maxAge)
{
    private readonly Lock _lock = new();
    private Task<HealthCheckResult>? _last;
    private DateTimeOffset _startedAt;

    public Task<HealthCheckResult> CheckAsync(Func<Task<HealthCheckResult>> probe)
    {
        ArgumentNullException.ThrowIfNull(probe);
        lock (_lock)
        {
            var now = clock.GetUtcNow();
            if (_last is null || (_last.IsCompleted && now - _startedAt >= maxAge))
            {
                _startedAt = now;
                _last = probe();
            }

            return _last;
        }
    }
}
