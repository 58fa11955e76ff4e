using System.Data.Common;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace MessagingServer.Persistence;

/// <summary>
/// <c>storage</c>: the configured database takes a tiny write (<see cref="StorageWriteProbe"/>) within
/// <see cref="PersistenceOptions.HealthCheckTimeout"/>, so a full disk or a read-only database is not ready even
/// though it still answers reads. When it fails, the journal's pooled connections are dropped too, so that none
/// of them is a dead socket once the database is back. What anonymous callers see names the kind of database
/// and a short reason (an error code), never its path, host or port; the exception goes to the log. Readiness is
/// anonymous, so <see cref="StorageHealthGate"/> runs at most one probe a second however often it is asked.
/// </summary>
internal sealed class StorageHealthCheck(StorageHealthGate gate, StorageDatabase database, IOptions<PersistenceOptions> options) : IHealthCheck
{
    public const string Name = "storage";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        gate.CheckAsync(ProbeAsync).WaitAsync(cancellationToken);

    private async Task<HealthCheckResult> ProbeAsync()
    {
        var timeout = options.Value.HealthCheckTimeout;
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await using var connection = database.CreateProbeConnection();
            await connection.OpenAsync(deadline.Token);
            await using var command = connection.CreateCommand();
            command.CommandText = database.ProbeQuery;
            await command.ExecuteScalarAsync(deadline.Token);
            await StorageWriteProbe.WriteAsync(connection, deadline.Token);
            return HealthCheckResult.Healthy($"{database.Kind} answers and takes writes");
        }
        catch (OperationCanceledException)
        {
            database.ClearPooledConnections();
            return HealthCheckResult.Unhealthy($"{database.Kind} did not answer within {timeout.TotalSeconds:0.#} s");
        }
        catch (Exception e) when (e is DbException or IOException or InvalidOperationException or TimeoutException)
        {
            database.ClearPooledConnections();
            return HealthCheckResult.Unhealthy($"{database.Kind} unreachable or refusing writes ({StorageWriteProbe.ShortReason(e)})", e);
        }
    }
}
