using System.Data.Common;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace MessagingServer.Persistence;

/// <summary>
/// <c>storage</c>: the configured database answers a trivial query within
/// <see cref="PersistenceOptions.HealthCheckTimeout"/>. When it does not, the journal's pooled connections are
/// dropped too, so that none of them is a dead socket once the database is back.
/// </summary>
internal sealed class StorageHealthCheck(StorageDatabase database, IOptions<PersistenceOptions> options) : IHealthCheck
{
    public const string Name = "storage";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var timeout = options.Value.HealthCheckTimeout;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await using var connection = database.CreateProbeConnection();
            await connection.OpenAsync(deadline.Token);
            await using var command = connection.CreateCommand();
            command.CommandText = database.ProbeQuery;
            await command.ExecuteScalarAsync(deadline.Token);
            return HealthCheckResult.Healthy($"{database.Description} answers");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            database.ClearPooledConnections();
            return HealthCheckResult.Unhealthy($"{database.Description} did not answer within {timeout.TotalSeconds:0.#} s");
        }
        catch (Exception e) when (e is DbException or IOException or InvalidOperationException or TimeoutException)
        {
            database.ClearPooledConnections();
            return HealthCheckResult.Unhealthy($"{database.Description} unreachable: {e.Message}", e);
        }
    }
}
