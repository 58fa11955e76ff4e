using System.Text.Json.Nodes;
using MessagingServer.Bench.Cli;
using MessagingServer.Bench.Crash;
using MessagingServer.TestSupport.Crash;
using Xunit.Abstractions;

namespace MessagingServer.Bench.Tests;

/// <summary>The crash rounds' invariants over hand-made histories: each kind of violation is found, and the allowed failures pass.</summary>
public sealed class CrashRoundChecksSpecs
{
    private static readonly string[] Burst = [.. Enumerable.Range(0, 4).Select(i => CrashRoundChecks.Body(0, i))];

    private static JsonObject Outbound(int i) => new() { ["type"] = "outbound", ["id"] = $"m{i}", ["body"] = CrashRoundChecks.Body(0, i) };

    private static JsonObject FailedAs(int i, string code) => new() { ["type"] = "status", ["id"] = $"m{i}", ["status"] = "failed", ["error"] = new JsonObject { ["code"] = code } };

    private static List<string> Check(HashSet<string> seenAtKill, IReadOnlyList<string> seen, params JsonObject[] extra) =>
        [.. CrashRoundChecks.Check(0, "u", Burst, seenAtKill, seen, [.. Enumerable.Range(0, 4).Select(Outbound), .. extra])];

    [Fact]
    public void A_round_where_everything_went_out_once_has_no_violation() =>
        Assert.Empty(Check([Burst[0]], Burst));

    [Fact]
    public void The_first_two_sends_Twilio_had_not_seen_may_end_not_sent_and_a_seen_one_outcome_unknown() =>
        Assert.Empty(Check([Burst[0]], [Burst[0], Burst[3]], FailedAs(1, "not_sent"), FailedAs(2, "not_sent"), FailedAs(0, "outcome_unknown")));

    [Fact]
    public void An_unseen_send_failed_as_unknown_is_a_violation() =>
        Assert.Contains("never reached Twilio before the kill but failed (outcome_unknown)", Assert.Single(Check([], [.. Burst[1..]], FailedAs(0, "outcome_unknown"))));

    [Fact]
    public void A_third_unseen_send_ending_not_sent_is_a_violation() =>
        Assert.Contains("'round 0 2' never reached Twilio", Assert.Single(Check([], [Burst[3]], FailedAs(0, "not_sent"), FailedAs(1, "not_sent"), FailedAs(2, "not_sent"))));

    [Fact]
    public void A_seen_call_failing_with_a_provider_code_is_a_violation() =>
        Assert.Contains("failed with provider_error", Assert.Single(Check([Burst[0]], Burst, FailedAs(0, "provider_error"))));

    [Fact]
    public void An_SMS_twice_at_Twilio_and_a_lost_acknowledgement_are_violations()
    {
        List<JsonObject> history = [Outbound(0), Outbound(1), Outbound(2)];

        var violations = CrashRoundChecks.Check(0, "u", Burst, new HashSet<string>(), [.. Burst, Burst[2]], history).ToList();

        Assert.Equal(2, violations.Count);
        Assert.Contains(violations, v => v.Contains("acknowledged 'round 0 3' is not in the history", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("'round 0 2' reached Twilio 2 times", StringComparison.Ordinal));
    }

    [Fact]
    public void A_round_is_out_only_when_every_send_reached_Twilio_or_failed()
    {
        List<JsonObject> history = [.. Enumerable.Range(0, 4).Select(Outbound)];

        Assert.False(CrashRoundChecks.AllOut(history, [.. Burst[..3]], 4));
        Assert.True(CrashRoundChecks.AllOut([.. history, FailedAs(3, "not_sent")], [.. Burst[..3]], 4));
        Assert.False(CrashRoundChecks.AllOut([], [], 4));
    }

    [Fact]
    public void Only_this_rounds_bodies_count_as_seen() =>
        Assert.Equal(["round 1 0", "round 1 0"], CrashRoundChecks.SeenBy(["round 1 0", "round 10 0", "round 1 0", "round 0 1", ""], 1));
}

public sealed class CrashOptionsSpecs
{
    [Fact]
    public void Crash_takes_its_rounds_and_seed()
    {
        var options = BenchOptions.Parse(["crash", "--rounds", "3", "--seed", "-42"]);

        Assert.Equal([ScenarioNames.Crash], options.Scenarios);
        Assert.Equal(3, options.Rounds);
        Assert.True(options.RoundsGiven);
        Assert.Equal(-42, options.Seed);
    }

    [Theory]
    [InlineData("--seed", "x")]
    [InlineData("--seed", "99999999999")]
    [InlineData("--rounds", "0")]
    public void A_bad_seed_or_round_count_is_refused(string option, string value) =>
        Assert.Throws<ArgumentException>(() => BenchOptions.Parse(["crash", option, value]));

    [Fact]
    public void All_leaves_the_crash_rounds_out() =>
        Assert.DoesNotContain(ScenarioNames.Crash, BenchOptions.Parse(["all"]).Scenarios);

    [Fact]
    public void The_table_has_a_row_per_round_and_the_checks_count_every_violation()
    {
        var round = new CrashRoundResult(0, "u", TimeSpan.FromMilliseconds(1500), 4, 4, 2, TimeSpan.FromSeconds(2), null, 1, ["lost"]);
        var run = new CrashRunResult(7, [round], ["later"], "round 1 stopped the run");

        var table = CrashReport.RoundsTable(run);
        var checks = CrashReport.Checks(run, rounds: 2);

        Assert.Equal(["0", "1.50 s", "2 of 4", "2.0 s", "never", "1", "1"], Assert.Single(table.Rows));
        Assert.Equal(["1", "3"], checks.Select(c => c.Measured));
        Assert.All(checks, c => Assert.Equal(Scenarios.Verdict.Fail, c.Verdict));
        Assert.Contains(CrashReport.Notes(run, 2), n => n.Contains("--seed 7", StringComparison.Ordinal));
    }
}

/// <summary>One crash round end to end at the tiny size: a real server killed with SIGKILL and started again, the real fake Twilio.</summary>
public sealed class CrashRunSpecs(ITestOutputHelper output)
{
    [Fact]
    [Trait("Category", "Smoke")]
    public async Task A_tiny_crash_run_kills_restarts_and_reports_no_violation()
    {
        using var text = new StringWriter();

        var exitCode = await BenchCli.RunAsync(["crash", "--size", "tiny", "--seed", "1"], text, CancellationToken.None);

        var printed = text.ToString();
        output.WriteLine(printed);
        Assert.True(exitCode == 0, printed);
        Assert.Contains("round 0: killed", printed, StringComparison.Ordinal);
        Assert.Matches(@"crash: rounds completed\s+1\s+= 1\s+PASS", printed);
        Assert.Matches(@"crash: violations \(.*\)\s+0\s+= 0\s+PASS", printed);
    }
}
