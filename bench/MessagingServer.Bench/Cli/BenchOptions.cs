using System.Globalization;

namespace MessagingServer.Bench.Cli;

public enum BenchSize
{
    Tiny,
    Full,
}

/// <summary>The command line: <c>&lt;scenario|all&gt; [--size tiny|full] [--rounds N] [--out FILE] [--pg CONN] [--env K=V]... [--duration S]</c>.</summary>
public sealed record BenchOptions(
    IReadOnlyList<string> Scenarios,
    BenchSize Size,
    int Rounds,
    string? OutFile,
    string? PostgresConnection,
    IReadOnlyDictionary<string, string> ServerEnvironment,
    double? RunSeconds,
    bool RoundsGiven,
    string? ServerDll = null,
    IReadOnlyList<int>? RoundTripConnections = null,
    int ClusterNodes = BenchOptions.DefaultClusterNodes,
    IReadOnlyList<double>? StableAfterSeconds = null,
    double? SampleSeconds = null,
    int? Seed = null)
{
    public const int DefaultClusterNodes = 3;

    public const int MinimumFullRounds = 5;

    public const string Usage = """
        usage: dotnet run -c Release --project bench/MessagingServer.Bench -- <scenario|all> [options]

        scenarios: round-trip, relay, fan-in, idle, reconnect, journal, signalr, cluster, soak, crash, all (a comma list works
                   too; all leaves out soak and crash, long runs of their own)
        options:
          --size tiny|full   tiny: a few connections for seconds (a smoke run); full: the real sizes (default)
          --rounds N         A/B rounds per comparison (default 5 for full, 1 for tiny; full needs >= 5 for ratios to count);
                             crash: kill-and-restart rounds (default 20, tiny 1)
          --out FILE         regenerate FILE (docs/benchmarks.md) with this run's tables
          --pg CONN          the PostgreSQL of the journal scenario's second half and of the cluster scenario; also BENCH_PG;
                             without it both start a throwaway PostgreSQL from initdb/pg_ctl (skipped, saying so, without those)
          --env KEY=VALUE    an extra environment variable for the server under test (repeatable)
          --duration S       seconds per measured run (overrides the size's default)
          --server-dll FILE  the MessagingServer.dll to test (default: this repository's build, same configuration)
          --connections N,M  round-trip only at these connection counts (default: the size's, 1,100,1000 for full)
          --nodes N          cluster: server processes, 3 to 5 (default 3; a kill must leave a majority)
          --stable-after S,T cluster: failover rounds with each Cluster:StableAfter, in seconds (default 20,5; tiny 2)
          --sample-every S   soak: seconds between resource samples (default 30; tiny 0.5); soak's --duration defaults to 3600
          --seed N           crash: the seed of the kill moments (default: random, printed)
        """;

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        string? scenario = null;
        var size = BenchSize.Full;
        int? rounds = null;
        string? outFile = null;
        var pg = Environment.GetEnvironmentVariable("BENCH_PG");
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        double? runSeconds = null;
        string? serverDll = null;
        List<int>? connections = null;
        var nodes = DefaultClusterNodes;
        List<double>? stableAfter = null;
        double? sampleSeconds = null;
        int? seed = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{arg} needs a value");
            switch (arg)
            {
                case "--size":
                    size = Value() switch
                    {
                        "tiny" => BenchSize.Tiny,
                        "full" => BenchSize.Full,
                        var other => throw new ArgumentException($"--size is tiny or full, not '{other}'"),
                    };
                    break;
                case "--rounds":
                    rounds = int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var r) && r is >= 1 and <= 100
                        ? r
                        : throw new ArgumentException("--rounds is a number from 1 to 100");
                    break;
                case "--out":
                    outFile = Value();
                    break;
                case "--pg":
                    pg = Value();
                    break;
                case "--env":
                    var pair = Value();
                    var eq = pair.IndexOf('=', StringComparison.Ordinal);
                    if (eq <= 0)
                    {
                        throw new ArgumentException($"--env takes KEY=VALUE, not '{pair}'");
                    }

                    env[pair[..eq]] = pair[(eq + 1)..];
                    break;
                case "--duration":
                    runSeconds = double.TryParse(Value(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d is > 0 and <= 3600
                        ? d
                        : throw new ArgumentException("--duration is seconds, from 0 to 3600");
                    break;
                case "--server-dll":
                    serverDll = Value();
                    break;
                case "--connections":
                    connections = [.. Value().Split(',').Select(c =>
                        int.TryParse(c, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 20_000
                            ? n
                            : throw new ArgumentException($"--connections is a comma list of numbers from 1 to 20000, not '{c}'"))];
                    break;
                case "--nodes":
                    nodes = int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count is >= 3 and <= 5
                        ? count
                        : throw new ArgumentException("--nodes is a number from 3 to 5");
                    break;
                case "--stable-after":
                    stableAfter = [.. Value().Split(',').Select(v =>
                        double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s is >= 1 and <= 120
                            ? s
                            : throw new ArgumentException($"--stable-after is a comma list of seconds from 1 to 120, not '{v}'"))];
                    break;
                case "--sample-every":
                    sampleSeconds = double.TryParse(Value(), NumberStyles.Float, CultureInfo.InvariantCulture, out var every) && every is >= 0.1 and <= 600
                        ? every
                        : throw new ArgumentException("--sample-every is seconds, from 0.1 to 600");
                    break;
                case "--seed":
                    seed = int.TryParse(Value(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var sd)
                        ? sd
                        : throw new ArgumentException("--seed is a whole number");
                    break;
                default:
                    if (arg.StartsWith("--", StringComparison.Ordinal) || scenario is not null)
                    {
                        throw new ArgumentException($"unexpected argument '{arg}'");
                    }

                    scenario = arg;
                    break;
            }
        }

        if (scenario is null)
        {
            throw new ArgumentException("name a scenario, or all");
        }

        var names = scenario == "all"
            ? ScenarioNames.InAll
            : scenario.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var name in names)
        {
            if (!ScenarioNames.All.Contains(name, StringComparer.Ordinal))
            {
                throw new ArgumentException($"unknown scenario '{name}' (known: {string.Join(", ", ScenarioNames.All)}, all)");
            }
        }

        return new BenchOptions(
            names.Distinct(StringComparer.Ordinal).ToList(), size, rounds ?? (size == BenchSize.Full ? MinimumFullRounds : 1), outFile,
            string.IsNullOrWhiteSpace(pg) ? null : pg, env, runSeconds, rounds is not null, serverDll, connections, nodes, stableAfter, sampleSeconds, seed);
    }
}

public static class ScenarioNames
{
    public const string RoundTrip = "round-trip";
    public const string Relay = "relay";
    public const string FanIn = "fan-in";
    public const string Idle = "idle";
    public const string Reconnect = "reconnect";
    public const string Journal = "journal";
    public const string SignalR = "signalr";
    public const string Cluster = "cluster";
    public const string Soak = "soak";
    public const string Busy = "busy";
    public const string Crash = "crash";

    public static readonly string[] All = [RoundTrip, Relay, FanIn, Idle, Reconnect, Journal, SignalR, Cluster, Soak, Busy, Crash];

    /// <summary>What <c>all</c> runs: the comparisons, not the hour-long soak or the crash rounds.</summary>
    public static readonly string[] InAll = [RoundTrip, Relay, FanIn, Idle, Reconnect, Journal, SignalR, Cluster, Busy];
}
