using Microsoft.Extensions.Options;
using Npgsql;

namespace MessagingServer.Persistence;

/// <summary>Refuses to start with settings that would only fail later, naming the key to fix.</summary>
internal sealed class PersistenceOptionsValidator : IValidateOptions<PersistenceOptions>
{
    public ValidateOptionsResult Validate(string? name, PersistenceOptions options)
    {
        var failures = new List<string>();
        var section = PersistenceOptions.Section;
        var connectionKey = $"ConnectionStrings:{PersistenceOptions.ConnectionStringName}";

        switch (options.Provider)
        {
            case StorageProvider.Sqlite:
                if (string.IsNullOrWhiteSpace(options.SqlitePath))
                {
                    failures.Add($"{section}:SqlitePath is empty; give the SQLite file's path (default data/messaging.db).");
                }

                if (options.SqliteBusyTimeout < TimeSpan.Zero)
                {
                    failures.Add($"{section}:SqliteBusyTimeout must not be negative.");
                }

                if (options.Journal.ParallelismFor(options.Provider) != 1)
                {
                    failures.Add($"{section}:Journal:Parallelism must be 1 with SQLite: a SQLite file has one writer at a time.");
                }

                break;

            case StorageProvider.PostgreSql:
                if (string.IsNullOrWhiteSpace(options.ConnectionString))
                {
                    failures.Add(
                        $"{section}:Provider is PostgreSql but {connectionKey} is missing; set it, e.g. " +
                        $"ConnectionStrings__{PersistenceOptions.ConnectionStringName}=\"Host=db;Database=messaging;Username=messaging;Password=...\".");
                }
                else if (!IsValidNpgsqlConnectionString(options.ConnectionString, out var error))
                {
                    failures.Add($"{connectionKey} is not a valid PostgreSQL connection string: {error}");
                }

                break;

            default:
                failures.Add($"{section}:Provider '{options.Provider}' is unknown; use Sqlite or PostgreSql.");
                break;
        }

        var journal = options.Journal;
        if (journal.BatchSize is < 1 or > 10_000)
        {
            failures.Add($"{section}:Journal:BatchSize must be between 1 and 10000 (was {journal.BatchSize}).");
        }

        if (journal.Parallelism is < 1 or > 64)
        {
            failures.Add($"{section}:Journal:Parallelism must be between 1 and 64 (was {journal.Parallelism}).");
        }

        if (journal.BufferSize < 1)
        {
            failures.Add($"{section}:Journal:BufferSize must be at least 1 (was {journal.BufferSize}).");
        }

        if (journal.ReplayBatchSize < 1)
        {
            failures.Add($"{section}:Journal:ReplayBatchSize must be at least 1 (was {journal.ReplayBatchSize}).");
        }

        if (journal.CircuitBreakerResetTimeout <= TimeSpan.Zero || journal.CircuitBreakerResetTimeout > TimeSpan.FromMinutes(5))
        {
            failures.Add($"{section}:Journal:CircuitBreakerResetTimeout must be more than 0 and at most 5 minutes (was {journal.CircuitBreakerResetTimeout}).");
        }

        if (options.SnapshotEvery < 1)
        {
            failures.Add($"{section}:SnapshotEvery must be at least 1 (was {options.SnapshotEvery}).");
        }

        if (options.HealthCheckTimeout <= TimeSpan.Zero || options.HealthCheckTimeout > TimeSpan.FromMinutes(1))
        {
            failures.Add($"{section}:HealthCheckTimeout must be more than zero and at most a minute (was {options.HealthCheckTimeout}).");
        }

        if (options.HealthCheckInterval < TimeSpan.Zero || options.HealthCheckInterval > TimeSpan.FromMinutes(1))
        {
            failures.Add($"{section}:HealthCheckInterval must be zero or more and at most a minute (was {options.HealthCheckInterval}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsValidNpgsqlConnectionString(string connectionString, out string? error)
    {
        try
        {
            _ = new NpgsqlConnectionStringBuilder(connectionString);
            error = null;
            return true;
        }
        catch (ArgumentException e)
        {
            error = e.Message;
            return false;
        }
    }
}
