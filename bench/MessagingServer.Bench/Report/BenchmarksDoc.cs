using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using MessagingServer.Bench.Cli;
using MessagingServer.Bench.Processes;
using MessagingServer.Bench.Scenarios;

namespace MessagingServer.Bench.Report;

/// <summary>
/// Writes docs/benchmarks.md: how to run each scenario, the machine, the targets, and the latest tables.
/// Each scenario's results sit between markers; a run replaces the sections of the scenarios it ran and
/// keeps the others, so running one scenario does not erase the rest.
/// </summary>
public static partial class BenchmarksDoc
{
    public static readonly (string Scenario, string Metric, string Target)[] Targets =
    [
        (ScenarioNames.RoundTrip, "round trips/s at 100 connections, durable server / bare Kestrel echo", "≥ 0.5×"),
        (ScenarioNames.SignalR, "round trips/s at 100 connections, durable server / SignalR hub", "≥ 1.0×"),
        (ScenarioNames.RoundTrip, "server bytes allocated per round trip", "≤ 8 KB"),
        (ScenarioNames.RoundTrip, "server CPU-µs per round trip at 100 connections", "≤ 120 µs"),
        (ScenarioNames.RoundTrip, "round trips/s at 100 connections, server / durable echo (the same four rows stored, group commit)", "≥ 0.5×"),
        (ScenarioNames.SignalR, "round trips/s at 100 connections, server / durable SignalR hub (storing before it answers)", "≥ 1.0×"),
        (ScenarioNames.Relay, "relays/s, server / plain HttpClient relay", "≥ 0.8×"),
        (ScenarioNames.FanIn, "inbound messages/s at 1,000 users, server / bare POST", "≥ 0.5×"),
        (ScenarioNames.FanIn, "p99 POST → frame", "≤ 10 ms"),
        (ScenarioNames.FanIn, "messages lost", "0"),
        (ScenarioNames.Idle, "server memory per idle connection (VmRSS)", "≤ 20 KB"),
        (ScenarioNames.Idle, "idle connections held", "19,000"),
        (ScenarioNames.Reconnect, "reconnects/s at 1,000 users × 20 missed events, server / bare connects", "≥ 0.5×"),
        (ScenarioNames.Reconnect, "missed events replayed / duplicates", "all / 0"),
        (ScenarioNames.Journal, "events/s stored by the sessions", "≥ 10,000"),
        (ScenarioNames.Journal, "sessions / standalone journal write test", "≥ 0.8×"),
        (ScenarioNames.Cluster, "round trips/s and inbound messages/s, session on another node / on the socket's node", "≥ 0.7×"),
        (ScenarioNames.Cluster, "failover: kill -9 of the session's node → first event on the socket again (median)", "≤ 15 s"),
        (ScenarioNames.Soak, "RSS, live GC heap, open descriptors, threads: last quarter of an hour's samples vs the first", "flat (within the allowance)"),
        (ScenarioNames.Busy, "server RSS per busy user (40 users sending as fast as they can for 4 minutes), once the windows are full", "≤ 1 MiB"),
        (ScenarioNames.Crash, "violations over 20 seeded SIGKILL rounds through the fake Twilio at 1/s (lost acks, SMS twice, unsent sends failed)", "0"),
    ];

    private static readonly Dictionary<string, string> Descriptions = new(StringComparer.Ordinal)
    {
        [ScenarioNames.RoundTrip] = "1, 100 and 1,000 connections, each a closed loop of `send` → its own `outbound` event, vs a bare Kestrel WebSocket echo; at 100 also vs a durable echo that stores the same four rows first.",
        [ScenarioNames.Relay] = "`send` → fake Twilio (bench/FakeTwilio) → signed status callbacks → `delivered` on the socket, vs a plain HttpClient relay.",
        [ScenarioNames.FanIn] = "signed inbound webhooks for 1,000 connected users → `message` frames, vs a bare POST endpoint: throughput, p50/p99 POST → frame, lost.",
        [ScenarioNames.Idle] = "10,000 and 19,000 idle connected users: server memory per connection, vs bare Kestrel sockets.",
        [ScenarioNames.Reconnect] = "1,000 users reconnect at once, each replaying 20 missed events (checked: all, once), vs bare connects.",
        [ScenarioNames.Journal] = "events/s stored by the sessions (SQLite, or PostgreSQL with `--pg`), vs a standalone journal write test of the same mode.",
        [ScenarioNames.SignalR] = "the round trip and the fan-in against a SignalR hub without storage, and the round trip against the same hub storing first (durable SignalR).",
        [ScenarioNames.Soak] = "an hour (`--duration`) of mixed load on one server (sends through the fake Twilio, webhooks, reconnects, slow readers): RSS, GC heap, open fds and threads sampled every 30 s (`--sample-every`), first vs last quarter; not part of `all`.",
        [ScenarioNames.Busy] = "40 users each in a closed loop of `send` → its own `outbound` with the loopback's reports and auto-replies for 4 minutes (`--duration`): server RSS and live heap above the idle start, per user.",
        [ScenarioNames.Crash] = "20 rounds (`--rounds`, `--seed`) of a burst through the fake Twilio at 1/s, SIGKILL at a seeded random moment, restart on the same SQLite file: nothing acknowledged lost, no SMS twice, unsent sends go out; not part of `all`.",
        [ScenarioNames.Cluster] = "3 nodes on one PostgreSQL: round trip and fan-in with the session on another node vs the socket's node; failover time after kill -9, per `Cluster:StableAfter`.",
    };

    public static void Write(string path, IReadOnlyList<ScenarioResult> results, MachineInfo machine, BenchOptions options, DateTimeOffset when)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(machine);
        ArgumentNullException.ThrowIfNull(options);
        var existing = File.Exists(path) ? ReadSections(File.ReadAllText(path)) : new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var result in results)
        {
            existing[result.Name] = Section(result, machine, options, when);
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        File.WriteAllText(path, Render(existing, machine, options, when));
    }

    public static string Render(IReadOnlyDictionary<string, string> sections, MachineInfo machine, BenchOptions options, DateTimeOffset when)
    {
        ArgumentNullException.ThrowIfNull(sections);
        ArgumentNullException.ThrowIfNull(machine);
        var doc = new StringBuilder();
        doc.AppendLine("# Benchmarks");
        doc.AppendLine();
        doc.AppendLine("Generated by `bench/MessagingServer.Bench` (`--out docs/benchmarks.md`); edit the tool, not this file.");
        doc.AppendLine("Every comparison runs the server under test (A) and a baseline (B) in the same invocation, in alternating");
        doc.AppendLine("rounds (A B, B A, ...; at least 5 for a real measurement), and reports the **median of the per-round ratios A/B**.");
        doc.AppendLine("The servers are separate processes started by the tool on 127.0.0.1 and stopped at the end:");
        doc.AppendLine("`src/MessagingServer` (in bench mode, `Bench__Enabled=true`, which maps `GET /bench/counters`), `bench/BaselineServers`");
        doc.AppendLine("(bare WebSocket echo, bare POST endpoint, plain HttpClient relay, SignalR hub, standalone journal test) and `bench/FakeTwilio`.");
        doc.AppendLine("CPU per operation comes from `/proc/<pid>/stat` (utime + stime) of the process doing the work; bytes allocated per");
        doc.AppendLine("operation from its `GET /bench/counters` (`GC.GetTotalAllocatedBytes`).");
        doc.AppendLine();
        doc.AppendLine("**Run it only on a quiet machine**: on 2 cores the load tool and the server share the CPU, and numbers taken while");
        doc.AppendLine("anything else builds or tests are meaningless. `--size tiny` is a smoke run that proves each path works, not a measurement.");
        doc.AppendLine();
        doc.AppendLine("## How to run");
        doc.AppendLine();
        doc.AppendLine("```bash");
        doc.AppendLine("ulimit -n 65536   # where allowed: the idle scenario holds 19,000 sockets in the tool and 19,000 in the server");
        doc.AppendLine("dotnet run -c Release --project bench/MessagingServer.Bench -- all --out docs/benchmarks.md");
        doc.AppendLine("```");
        doc.AppendLine();
        doc.AppendLine("| scenario | what it measures | one command |");
        doc.AppendLine("|---|---|---|");
        foreach (var name in ScenarioNames.All)
        {
            doc.AppendLine($"| `{name}` | {Descriptions[name]} | `{Scenarios.Scenarios.Command(name)}` |");
        }

        doc.AppendLine();
        doc.AppendLine("The tool also raises its own open-file limit with setrlimit (the servers it starts inherit it). Where the hard limit");
        doc.AppendLine("cannot be raised (20,000 in the development sandbox), 19,000 sockets still fit: each process holds one side of them.");
        doc.AppendLine();
        doc.AppendLine("Options: `--size tiny|full` (default full), `--rounds N` (default 5), `--out FILE`, `--pg \"Host=...;Username=...;Password=...;Database=...\"`");
        doc.AppendLine("(journal on PostgreSQL), `--env KEY=VALUE` (extra server setting, repeatable), `--duration S` (seconds per measured run),");
        doc.AppendLine("`--server-dll FILE` (measure another build of the server, e.g. a branch built elsewhere); for `cluster`, `--nodes N` (3 to 5)");
        doc.AppendLine("and `--stable-after S,T` (failover rounds per `Cluster:StableAfter`, default 20 and 5 s). Without `--pg`, `cluster` starts");
        doc.AppendLine("a throwaway PostgreSQL from the machine's binaries (`initdb`, `pg_ctl`), and is skipped, saying so, when there are none.");
        doc.AppendLine("`dotnet run -c Release --project bench/MessagingServer.Bench -- all --size tiny` runs every scenario once in about a minute:");
        doc.AppendLine("a smoke run (also `dotnet test tests/MessagingServer.Bench.Tests`), whose numbers mean nothing.");
        doc.AppendLine();
        doc.AppendLine("What the server needs for each scenario: `relay` and `fan-in` (and the fan-in half of `signalr`) need the Twilio webhooks");
        doc.AppendLine("(`POST /twilio/sms`, `/twilio/status`) and are skipped, with the reason printed, by a build without them. `journal` and the");
        doc.AppendLine("\"durable\" targets need SQL persistence: a build without it runs on Akka's in-memory journal, and each result says which.");
        doc.AppendLine();
        doc.AppendLine("## Targets");
        doc.AppendLine();
        doc.AppendLine("| scenario | metric | target |");
        doc.AppendLine("|---|---|---|");
        foreach (var (scenario, metric, target) in Targets)
        {
            doc.AppendLine($"| `{scenario}` | {metric} | {target} |");
        }

        if (sections.TryGetValue(AnalysisSection, out var analysis))
        {
            doc.AppendLine();
            doc.Append(analysis);
        }

        doc.AppendLine();
        doc.AppendLine("## Latest results");
        doc.AppendLine();
        doc.AppendLine("Each scenario shows its latest run, with the machine it ran on.");
        foreach (var name in ScenarioNames.All)
        {
            doc.AppendLine();
            doc.Append(sections.TryGetValue(name, out var section)
                ? section
                : Marked(name, $"### `{name}`\n\nNot measured yet: `{Scenarios.Scenarios.Command(name)}`.\n"));
        }

        return doc.ToString();
    }

    private static string Section(ScenarioResult result, MachineInfo machine, BenchOptions options, DateTimeOffset when)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"### `{result.Name}`: {result.Title}");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Run {when:yyyy-MM-dd HH:mm} UTC, size **{(options.Size == BenchSize.Tiny ? "tiny" : "full")}**, {options.Rounds} round(s), commit {machine.Commit}.");
        text.AppendLine(CultureInfo.InvariantCulture, $"Machine: {machine.Cores} cores, {machine.Memory}, {machine.Os}, {machine.Runtime}, open files {machine.OpenFiles ?? "unknown"}.");
        if (options.Size == BenchSize.Tiny)
        {
            text.AppendLine();
            text.AppendLine("> Tiny smoke run: these numbers show that every path works, not how fast the server is.");
        }
        else if (options.Rounds < BenchOptions.MinimumFullRounds)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"> Fewer than {BenchOptions.MinimumFullRounds} rounds: the ratios are indicative only.");
        }

        text.AppendLine();
        if (result.SkipReason is not null)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Skipped: {result.SkipReason}.");
            return Marked(result.Name, text.ToString());
        }

        if (result.Error is not null)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Failed: {result.Error}");
            return Marked(result.Name, text.ToString());
        }

        text.AppendLine(result.Setup);
        foreach (var table in result.Tables)
        {
            text.AppendLine();
            text.Append(Markdown(table));
        }

        if (result.Checks.Count > 0)
        {
            text.AppendLine();
            text.Append(Markdown(TextReport.ChecksTable("Targets", result.Checks.Select(c => (result.Name, c)))));
        }

        if (result.Notes.Count > 0)
        {
            text.AppendLine();
            foreach (var note in result.Notes)
            {
                text.AppendLine("- " + note);
            }
        }

        return Marked(result.Name, text.ToString());
    }

    public static string Markdown(ResultTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"**{table.Caption}**");
        text.AppendLine();
        text.AppendLine("| " + string.Join(" | ", table.Columns.Select(Escape)) + " |");
        text.AppendLine("|" + string.Concat(table.Columns.Select(_ => "---|")));
        foreach (var row in table.Rows)
        {
            text.AppendLine("| " + string.Join(" | ", row.Select(Escape)) + " |");
        }

        return text.ToString();
    }

    private static string Escape(string cell) => cell.Replace("|", "\\|", StringComparison.Ordinal);

    /// <summary>
    /// A hand-written section between <c>&lt;!-- scenario:analysis --&gt;</c> markers (what the numbers mean, the gaps
    /// and their causes): kept as it is by every run and shown after the targets.
    /// </summary>
    public const string AnalysisSection = "analysis";

    private static string Marked(string name, string body) => $"<!-- scenario:{name} -->\n{body.TrimEnd()}\n<!-- /scenario:{name} -->\n";

    public static Dictionary<string, string> ReadSections(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        return SectionPattern().Matches(markdown)
            .Where(m => !m.Value.Contains("Not measured yet", StringComparison.Ordinal))
            .ToDictionary(m => m.Groups["name"].Value, m => m.Value + "\n", StringComparer.Ordinal);
    }

    [GeneratedRegex(@"<!-- scenario:(?<name>[a-z\-]+) -->.*?<!-- /scenario:\k<name> -->", RegexOptions.Singleline)]
    private static partial Regex SectionPattern();
}
