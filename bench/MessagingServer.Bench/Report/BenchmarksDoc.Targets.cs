using MessagingServer.Bench.Cli;

namespace MessagingServer.Bench.Report;

public static partial class BenchmarksDoc
{
    private const string Issue15 = "issue 15";
    private const string Earlier = "earlier";

    /// <summary>
    /// The Targets table of docs/benchmarks.md: issue 15's rows as the issue words them (it replaced idle ≤ 20 KB, 1 KB per
    /// round trip, p99 ≤ 10 ms at saturation, ≥ 10,000 journal events/s and the plain echo and hub ratios), then the
    /// standing targets of earlier issues.
    /// </summary>
    public static readonly (string Scenario, string Metric, string Target, string From)[] Targets =
    [
        (ScenarioNames.Idle, "RSS per idle connected user, 10,000 and 19,000 users, single node", "≤ 28 KiB", Issue15),
        (ScenarioNames.Cluster, "RSS per idle connected user, 10,000 users, as a cluster node (summed over the nodes' growth, and the node's own)", "≤ 28 KiB", Issue15),
        (ScenarioNames.RoundTrip, "server CPU-µs per durable round trip at 100 connections", "≤ 120 µs", Issue15),
        (ScenarioNames.RoundTrip, "server bytes allocated per round trip at 100 connections", "≤ 8 KB", Issue15),
        (ScenarioNames.RoundTrip, "round trips/s at 100 connections, server / durable echo (the same four rows stored, group commit)", "≥ 0.5×", Issue15),
        (ScenarioNames.SignalR, "round trips/s at 100 connections, server / durable SignalR hub (storing before it answers)", "≥ 1.0×", Issue15),
        (ScenarioNames.FanIn, "p99 POST → frame, 1,000 users, paced at half the server's saturation rate", "≤ 5 ms", Issue15),
        (ScenarioNames.FanIn, "inbound messages/s at 1,000 users, saturation, server / bare POST", "≥ 0.5×", Issue15),
        (ScenarioNames.Reconnect, "cold reconnect storm, 1,000 users × 20 missed events: users recovered from the journal per second, all replayed once", "≥ 1,000/s", Issue15),
        (ScenarioNames.Cluster, "round trip (and fan-in), socket and session on different nodes / on the same node", "≥ 0.7×", Issue15),
        (ScenarioNames.Cluster, "kill -9 → first event delivered again for a session that lived there (median)", "≤ 15 s", Issue15),
        (ScenarioNames.Busy, "server RSS per busy user (40 users sending as fast as they can for 4 minutes), once its caches are full", "≤ 1 MiB", Issue15),
        (ScenarioNames.Journal, "events/s stored by the sessions, SQLite / PostgreSQL", "no worse: ≥ 44,855 / ≥ 31,333", Issue15),
        (ScenarioNames.Relay, "relays/s, server / plain HttpClient relay", "≥ 0.8×", Earlier),
        (ScenarioNames.FanIn, "messages lost (saturation and paced)", "0", Earlier),
        (ScenarioNames.Idle, "idle connections held", "19,000", Earlier),
        (ScenarioNames.Reconnect, "reconnects/s at 1,000 users × 20 missed events, warm, server / bare connects", "≥ 0.5×", Earlier),
        (ScenarioNames.Reconnect, "missed events replayed / duplicates (warm and cold)", "all / 0", Earlier),
        (ScenarioNames.Journal, "sessions / standalone journal write test", "≥ 0.8×", Earlier),
        (ScenarioNames.Soak, "RSS, live GC heap, open descriptors, threads: last quarter of an hour's samples vs the first", "flat (within the allowance)", Earlier),
        (ScenarioNames.Crash, "violations over 20 seeded SIGKILL rounds through the fake Twilio at 1/s (lost acks, SMS twice, unsent sends failed)", "0", Earlier),
    ];
}
