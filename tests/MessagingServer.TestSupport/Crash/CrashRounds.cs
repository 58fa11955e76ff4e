using System.Diagnostics;
using System.Globalization;
using MessagingServer.TestSupport.Twilio;

namespace MessagingServer.TestSupport.Crash;

/// <summary>
/// Randomized SIGKILL rounds through the fake Twilio at one SMS a second (issue 14, items 1 and 2 as a fault
/// class), shared by the end-to-end spec (4 rounds in CI) and the bench's <c>crash</c> scenario (20): each
/// round a new user sends a burst, the server is killed at a seeded random moment while the burst drains and
/// started again on the same SQLite file, then <see cref="CrashRoundChecks"/> judges what the user's history
/// and Twilio show. After the last round, the earlier rounds' sends must keep what they had.
/// </summary>
public sealed class CrashRounds(ICrashRoundServer server, FakeTwilio twilio, Action<string> log)
{
    public const int SendsPerRound = 4;

    /// <summary>
    /// The server settings the rounds need, environment-style (<c>Twilio__From</c>): Twilio through
    /// <paramref name="fake"/> paced at 1/s, no per-user send limit in the way, and a short reconcile window so
    /// a call the kill caught before Twilio saw it is answered (<c>not_sent</c>) within the round.
    /// </summary>
    public static Dictionary<string, string> ServerEnvironment(FakeTwilio fake)
    {
        ArgumentNullException.ThrowIfNull(fake);
        var environment = fake.ServerSettings()
            .Where(kv => kv.Value is not null)
            .ToDictionary(kv => kv.Key.Replace(":", "__", StringComparison.Ordinal), kv => kv.Value!, StringComparer.Ordinal);
        environment["Twilio__MessagesPerSecond"] = "1";
        environment["Limits__SendsPerSecond"] = "1000";
        environment["Limits__SendBurst"] = "1000";
        environment["Twilio__ReconcileWindow"] = "00:00:03";
        environment["Twilio__ReconcileFirstDelay"] = "00:00:00.200";
        environment["Twilio__ReconcileMaxDelay"] = "00:00:00.500";
        return environment;
    }

    public static string UserOf(int seed, int round) => string.Create(CultureInfo.InvariantCulture, $"crash-round-{seed:x8}-{round}");

    /// <summary>
    /// Runs <paramref name="rounds"/> rounds from the server as it is (running). A step that throws (a socket
    /// that does not connect, a server that does not come back) ends the run there and is reported as what
    /// stopped it, with the rounds done so far.
    /// </summary>
    public async Task<CrashRunResult> RunAsync(int rounds, int seed, TimeSpan settleTimeout, CancellationToken cancel)
    {
        var random = new Random(seed);
        var results = new List<CrashRoundResult>();
        var failedAfterRound = new Dictionary<int, HashSet<string>>();
        string? stoppedBy = null;
        for (var round = 0; round < rounds && stoppedBy is null; round++)
        {
            var killAfter = TimeSpan.FromMilliseconds(random.Next(0, SendsPerRound * 700));
            try
            {
                var (result, failed) = await RoundAsync(round, seed, killAfter, settleTimeout, cancel);
                results.Add(result);
                failedAfterRound[round] = failed;
                log(Describe(result));
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancel.IsCancellationRequested)
            {
                stoppedBy = $"round {round} stopped the run: {e.GetType().Name}: {e.Message}";
                log(stoppedBy);
            }
        }

        var later = new List<string>();
        if (stoppedBy is null)
        {
            foreach (var (round, failedBefore) in failedAfterRound.Where(kv => kv.Key < rounds - 1))
            {
                var events = await CrashRoundSocket.EventsAsync(server, UserOf(seed, round), cancel);
                var failed = CrashRoundChecks.FailedIds(events).Count(id => !failedBefore.Contains(id));
                if (failed > 0)
                {
                    later.Add($"round {round}: {failed} sends failed after later restarts");
                }
            }
        }

        return new CrashRunResult(seed, results, later, stoppedBy);
    }

    public static string Describe(CrashRoundResult r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var settled = r.Settled is { } s
            ? string.Create(CultureInfo.InvariantCulture, $"every send settled {s.TotalSeconds:0.0} s after the restart")
            : "some sends never settled";
        return string.Create(CultureInfo.InvariantCulture,
            $"round {r.Round}: killed {r.KillAfter.TotalMilliseconds:0} ms after the burst was acked, Twilio had {r.SeenAtKill}/{r.Sends}; " +
            $"ready again in {r.ReadyAgain.TotalSeconds:0.0} s, {settled}; {r.NotSent} not_sent, {r.Violations.Count} violation(s)");
    }

    private async Task<(CrashRoundResult Result, HashSet<string> Failed)> RoundAsync(
        int round, int seed, TimeSpan killAfter, TimeSpan settleTimeout, CancellationToken cancel)
    {
        var user = UserOf(seed, round);
        var acked = await CrashRoundSocket.SendBurstAsync(server, user, round, SendsPerRound, cancel);
        await Task.Delay(killAfter, cancel);
        await server.KillHardAsync();
        var seenAtKill = Seen(round).ToHashSet(StringComparer.Ordinal);

        var clock = Stopwatch.StartNew();
        await server.RestartAsync();
        var ready = clock.Elapsed;
        var (allOut, events) = await SettleAsync(user, round, settleTimeout, cancel);
        var settled = clock.Elapsed;
        var violations = new List<string>();
        if (!allOut)
        {
            violations.Add(CrashRoundChecks.Missing(round, SendsPerRound, Seen(round), events));
        }

        violations.AddRange(CrashRoundChecks.Check(round, user, acked, seenAtKill, Seen(round), events));
        var result = new CrashRoundResult(
            round, user, killAfter, SendsPerRound, acked.Count, seenAtKill.Count, ready, allOut ? settled : null,
            CrashRoundChecks.NotSent(events), violations);
        return (result, CrashRoundChecks.FailedIds(events));
    }

    /// <summary>Until every send of the round reached Twilio or failed, or the timeout; the user's events as they then stand.</summary>
    private async Task<(bool AllOut, List<System.Text.Json.Nodes.JsonObject> Events)> SettleAsync(string user, int round, TimeSpan timeout, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var events = await CrashRoundSocket.EventsAsync(server, user, cancel);
            if (CrashRoundChecks.AllOut(events, Seen(round), SendsPerRound))
            {
                return (true, events);
            }

            if (clock.Elapsed > timeout)
            {
                return (false, events);
            }

            // Polling the server's own history: there is no event to wait on from outside the process.
            await Task.Delay(100, cancel);
        }
    }

    private List<string> Seen(int round) => CrashRoundChecks.SeenBy(twilio.Requests.Select(r => r.Form.GetValueOrDefault("Body") ?? ""), round);
}
