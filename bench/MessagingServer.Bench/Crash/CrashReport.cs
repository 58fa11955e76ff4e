using System.Globalization;
using MessagingServer.Bench.Scenarios;
using MessagingServer.TestSupport.Crash;

namespace MessagingServer.Bench.Crash;

/// <summary>The crash rounds as the tool's table, target check and notes.</summary>
public static class CrashReport
{
    public static ResultTable RoundsTable(CrashRunResult run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return new ResultTable(
            string.Create(CultureInfo.InvariantCulture, $"{run.Rounds.Count} round(s), seed {run.Seed}"),
            ["round", "kill after the burst's acks", "Twilio had seen at the kill", "ready again", "every send at Twilio or failed", "not_sent", "violations"],
            [.. run.Rounds.Select(r => (IReadOnlyList<string>)
            [
                r.Round.ToString(CultureInfo.InvariantCulture),
                Fmt.Num(r.KillAfter.TotalSeconds, "0.00") + " s",
                string.Create(CultureInfo.InvariantCulture, $"{r.SeenAtKill} of {r.Sends}"),
                Fmt.Num(r.ReadyAgain.TotalSeconds, "0.0") + " s",
                r.Settled is { } s ? Fmt.Num(s.TotalSeconds, "0.0") + " s" : "never",
                r.NotSent.ToString(CultureInfo.InvariantCulture),
                r.Violations.Count.ToString(CultureInfo.InvariantCulture),
            ])]);
    }

    public static IReadOnlyList<TargetCheck> Checks(CrashRunResult run, int rounds)
    {
        ArgumentNullException.ThrowIfNull(run);
        return
        [
            TargetCheck.Exactly("crash: rounds completed", run.Rounds.Count, rounds),
            TargetCheck.Exactly("crash: violations (lost acks, SMS twice, unsent sends failed, wrong failures, earlier rounds changed)", run.Violations.Count, 0),
        ];
    }

    public static IReadOnlyList<string> Notes(CrashRunResult run, int rounds)
    {
        ArgumentNullException.ThrowIfNull(run);
        return
        [
            string.Create(CultureInfo.InvariantCulture,
                $"replay these kill moments: `{Scenarios.Scenarios.Command(Cli.ScenarioNames.Crash)} --rounds {rounds} --seed {run.Seed}`"),
            .. run.Violations.Select(v => "violation: " + v),
        ];
    }
}
