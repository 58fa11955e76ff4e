using System.Diagnostics;
using MessagingServer.Bench.Report;
using MessagingServer.Bench.Runs;
using MessagingServer.Bench.Scenarios;
using MessagingServer.Bench.Stats;

namespace MessagingServer.Bench.Tests;

/// <summary>Issue 15's rows in the tool: the paced fan-in schedule, and each new target check's verdicts at and past its bound.</summary>
public sealed class TargetRowSpecs
{
    [Fact]
    public void Message_i_is_due_i_over_the_rate_seconds_after_the_start()
    {
        var schedule = new PacedSchedule(1000);

        Assert.Equal(0, schedule.DueTicks(0));
        Assert.Equal(Stopwatch.Frequency, schedule.DueTicks(1000));
        Assert.Equal(Stopwatch.Frequency / 2, schedule.DueTicks(500));
        Assert.Equal(TimeSpan.FromSeconds(3), schedule.Duration(3000));
    }

    [Fact]
    public void A_message_waits_for_its_due_time_and_a_late_one_goes_at_once()
    {
        var schedule = new PacedSchedule(100);
        var due = schedule.DueTicks(10);

        Assert.True(schedule.WaitFor(10, 0) > TimeSpan.Zero);
        Assert.Equal(TimeSpan.Zero, schedule.WaitFor(10, due));
        Assert.Equal(TimeSpan.Zero, schedule.WaitFor(10, due + Stopwatch.Frequency));
        Assert.Equal(TimeSpan.Zero, schedule.WaitFor(0, 0));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_rate_that_is_not_a_positive_number_is_refused(double rate) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new PacedSchedule(rate));

    [Fact]
    public void A_negative_index_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new PacedSchedule(10).DueTicks(-1));

    [Fact]
    public void The_paced_rate_is_half_the_saturation_rate_and_none_without_one()
    {
        Assert.Equal(1500, PacedSchedule.HalfOf(3000)!.RatePerSecond);
        Assert.Null(PacedSchedule.HalfOf(double.NaN));
        Assert.Null(PacedSchedule.HalfOf(0));
        Assert.Null(PacedSchedule.HalfOf(-1));
    }

    [Fact]
    public async Task Paced_posters_never_post_before_the_schedule_says_and_post_every_message_once()
    {
        var schedule = new PacedSchedule(500);
        const int messages = 25;
        var started = new long[messages];
        long next = -1;
        var start = Stopwatch.GetTimestamp();

        var ran = await BoundedLoop.RunWorkersAsync(4, new Budget(messages, TimeSpan.FromSeconds(30)), async (_, _) =>
        {
            var index = Interlocked.Increment(ref next);
            await schedule.WaitForTurnAsync(index, start, CancellationToken.None);
            started[index] = Stopwatch.GetTimestamp() - start;
        });

        Assert.Equal(messages, ran);
        for (var i = 0; i < messages; i++)
        {
            Assert.True(started[i] >= schedule.DueTicks(i), $"message {i} went at {started[i]} ticks, before its due {schedule.DueTicks(i)}");
        }
    }

    [Fact]
    public void A_paced_run_is_bounded_by_twice_its_schedule_and_at_least_the_saturation_bound()
    {
        Assert.Equal(TimeSpan.FromSeconds(60), FanInPaced.MaxTime(new PacedSchedule(1000), 3000, 60));
        Assert.Equal(TimeSpan.FromSeconds(120), FanInPaced.MaxTime(new PacedSchedule(50), 3000, 60));
    }

    [Theory]
    [InlineData(4.99, 0, Verdict.Pass)]
    [InlineData(5.0, 0, Verdict.Pass)]
    [InlineData(5.01, 0, Verdict.Fail)]
    public void The_paced_p99_target_is_five_milliseconds(double p99, long lost, Verdict expected)
    {
        var checks = FanInPaced.Checks(Paced(p99, lost), 1000).ToList();

        Assert.Equal(expected, checks.Single(c => c.Metric.Contains("paced at half saturation", StringComparison.Ordinal)).Verdict);
        Assert.Equal("≤ 5.00 ms", checks[0].Target);
    }

    [Fact]
    public void A_paced_run_that_lost_a_message_fails_and_no_paced_run_is_not_measured()
    {
        Assert.Equal(Verdict.Fail, FanInPaced.Checks(Paced(1, lost: 1), 1000).Single(c => c.Metric.Contains("lost", StringComparison.Ordinal)).Verdict);
        Assert.Equal(Verdict.NotMeasured, Assert.Single(FanInPaced.Checks(null, 1000)).Verdict);
    }

    [Theory]
    [InlineData(1000, 1.0, Verdict.Pass)]
    [InlineData(999, 1.0, Verdict.Fail)]
    [InlineData(1000, 0.5, Verdict.Pass)]
    public void The_cold_storm_must_recover_a_thousand_users_a_second(long users, double seconds, Verdict expected)
    {
        var cold = new RunResult(Side.A, 0, users, seconds, LatencySummary.Empty, null, 0);

        Assert.Equal(expected, ReconnectScenario.ColdCheck(cold, 1000).Verdict);
    }

    [Theory]
    [InlineData("sqlite", 44_855, Verdict.Pass)]
    [InlineData("sqlite", 44_854, Verdict.Fail)]
    [InlineData("postgresql", 31_333, Verdict.Pass)]
    [InlineData("postgresql", 31_000, Verdict.Fail)]
    [InlineData("inmem", 1_000_000, Verdict.NotMeasured)]
    [InlineData("sqlite", double.NaN, Verdict.NotMeasured)]
    public void Journal_events_per_second_are_no_worse_than_issue_15s_before_figures(string mode, double eventsPerSecond, Verdict expected) =>
        Assert.Equal(expected, JournalTargets.NoWorseCheck(mode, eventsPerSecond).Verdict);

    [Fact]
    public void Idle_users_as_a_cluster_node_are_the_nodes_growth_summed_and_the_sockets_node_alone()
    {
        // 1,000 users: node 1 grew 20,000 KiB, node 2 5,000, node 3 10,000.
        var result = new ClusterIdle.Result(1000, 1000, 1000, 1.0, [100_000, 90_000, 90_000], [120_000, 95_000, 100_000]);

        Assert.Equal(35, result.SummedKibPerUser);
        Assert.Equal(20, result.NodeKibPerUser(0));
        var checks = ClusterIdle.Checks(result).ToList();
        Assert.Equal([Verdict.Fail, Verdict.Pass, Verdict.Pass], checks.Select(c => c.Verdict));
        Assert.Equal(4, ClusterIdle.Table(result).Rows.Count);
    }

    [Fact]
    public void Idle_users_the_cluster_node_did_not_hold_fail()
    {
        var result = new ClusterIdle.Result(1000, 999, 1000, 1.0, [0, 0, 0], [1, 1, 1]);

        Assert.Equal(Verdict.Fail, ClusterIdle.Checks(result).Last().Verdict);
    }

    [Fact]
    public void The_targets_table_lists_issue_15s_targets_and_not_the_ones_it_replaced()
    {
        var targets = BenchmarksDoc.Targets.Select(t => $"{t.Scenario} {t.Metric} {t.Target}").ToList();

        Assert.Contains(targets, t => t.StartsWith("idle ", StringComparison.Ordinal) && t.EndsWith("≤ 28 KiB", StringComparison.Ordinal));
        Assert.Contains(targets, t => t.StartsWith("cluster ", StringComparison.Ordinal) && t.Contains("as a cluster node", StringComparison.Ordinal) && t.EndsWith("≤ 28 KiB", StringComparison.Ordinal));
        Assert.Contains(targets, t => t.Contains("paced at half", StringComparison.Ordinal) && t.EndsWith("≤ 5 ms", StringComparison.Ordinal));
        Assert.Contains(targets, t => t.StartsWith("reconnect cold", StringComparison.Ordinal) && t.EndsWith("≥ 1,000/s", StringComparison.Ordinal));
        Assert.Contains(targets, t => t.StartsWith("journal ", StringComparison.Ordinal) && t.Contains("44,855", StringComparison.Ordinal) && t.Contains("31,333", StringComparison.Ordinal));
        Assert.Equal(13, BenchmarksDoc.Targets.Count(t => t.From == "issue 15"));
        Assert.DoesNotContain(targets, t => t.Contains("20 KB", StringComparison.Ordinal) || t.Contains("10 ms", StringComparison.Ordinal)
            || t.Contains("1 KB", StringComparison.Ordinal) || t.Contains("10,000", StringComparison.Ordinal) && t.StartsWith("journal", StringComparison.Ordinal));
    }

    private static FanInPaced.Result Paced(double p99, long lost) => new(
        new PacedSchedule(100),
        new RunResult(Side.A, 0, 100, 1, new LatencySummary(100, 1, 2, p99, p99, 1), null, 0, Lost: lost),
        new RunResult(Side.B, 0, 100, 1, new LatencySummary(100, 1, 2, 1, 1, 1), null, 0));
}
