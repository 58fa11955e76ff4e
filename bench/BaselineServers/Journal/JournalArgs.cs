using System.Globalization;

namespace MessagingServer.Bench.Baselines.Journal;

internal sealed record JournalArgs(string Provider, string? SqlitePath, string? ConnectionString, int Actors, int Events, int Window, string Prefix, int TimeoutSeconds)
{
    public const string Sqlite = "sqlite";
    public const string PostgreSql = "postgresql";
    public const string InMemory = "inmem";

    public static JournalArgs Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"unexpected argument '{args[i]}'");
            }

            values[args[i][2..]] = args[++i];
        }

        var provider = values.GetValueOrDefault("provider", Sqlite).ToLowerInvariant();
        if (provider is not (Sqlite or PostgreSql or InMemory))
        {
            throw new ArgumentException($"unknown provider '{provider}'");
        }

        var sqlitePath = values.GetValueOrDefault("sqlite-path");
        var connectionString = values.GetValueOrDefault("connection-string");
        if (provider == Sqlite && string.IsNullOrEmpty(sqlitePath))
        {
            throw new ArgumentException("--sqlite-path is required for sqlite");
        }

        if (provider == PostgreSql && string.IsNullOrEmpty(connectionString))
        {
            throw new ArgumentException("--connection-string is required for postgresql");
        }

        return new JournalArgs(
            provider, sqlitePath, connectionString,
            Int(values, "actors", 10, 1, 100_000), Int(values, "events", 100, 0, 10_000_000), Int(values, "window", 8, 1, 10_000),
            values.GetValueOrDefault("prefix", "journal-bench"), Int(values, "timeout-seconds", 300, 1, 3600));
    }

    private static int Int(Dictionary<string, string> values, string name, int fallback, int min, int max)
    {
        if (!values.TryGetValue(name, out var text))
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new ArgumentException($"--{name} must be an integer from {min} to {max}");
    }
}
