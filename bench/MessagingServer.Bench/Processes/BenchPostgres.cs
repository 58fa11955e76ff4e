using MessagingServer.Bench.Scenarios;
using MessagingServer.TestSupport;

namespace MessagingServer.Bench.Processes;

/// <summary>
/// The PostgreSQL a scenario runs on: <c>--pg</c> when given, else a throwaway server started from the machine's
/// binaries (<see cref="LocalPostgres"/>: <c>initdb</c>, <c>pg_ctl</c>), stopped and deleted on dispose. When neither
/// is there, <see cref="SkipReason"/> says why and the scenario (or its PostgreSQL part) is skipped.
/// </summary>
public sealed class BenchPostgres : IAsyncDisposable
{
    public const string NoPostgres = "no PostgreSQL: give --pg CONN, or install PostgreSQL's binaries (initdb, pg_ctl)";

    private readonly LocalPostgres? _local;
    private readonly string? _given;

    private BenchPostgres(LocalPostgres? local, string? given, string? skipReason)
    {
        _local = local;
        _given = given;
        SkipReason = skipReason;
    }

    /// <summary>Why there is no PostgreSQL, or null when there is one.</summary>
    public string? SkipReason { get; }

    public bool IsLocal => _local is not null;

    public static async Task<BenchPostgres> StartAsync(ScenarioContext context, string label)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Options.PostgresConnection is { } given)
        {
            return new BenchPostgres(null, given, null);
        }

        var local = new LocalPostgres();
        try
        {
            await local.InitializeAsync();
            return new BenchPostgres(local, null, null);
        }
        catch (InvalidOperationException e)
        {
            await local.DisposeAsync();
            context.Log($"{label}: no PostgreSQL: {e.Message}");
            return new BenchPostgres(null, null, NoPostgres);
        }
    }

    /// <summary>
    /// A connection string: the <c>--pg</c> one (callers keep their rows apart by user or prefix), or a fresh database
    /// named after <paramref name="prefix"/> on the throwaway server.
    /// </summary>
    public async Task<string> DatabaseAsync(string prefix)
    {
        if (_given is not null)
        {
            return _given;
        }

        return _local is null ? throw new InvalidOperationException(SkipReason) : await _local.CreateDatabaseAsync(prefix);
    }

    public async ValueTask DisposeAsync()
    {
        if (_local is not null)
        {
            await _local.DisposeAsync();
        }
    }
}
