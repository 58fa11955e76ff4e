using MessagingServer.Bench.Runs;

namespace MessagingServer.Bench.Tests;

public sealed class AbScheduleSpecs
{
    [Fact]
    public void Even_rounds_run_a_first_and_odd_rounds_run_b_first()
    {
        Assert.Equal([Side.A, Side.B], AbSchedule.Order(0));
        Assert.Equal([Side.B, Side.A], AbSchedule.Order(1));
        Assert.Equal([Side.A, Side.B], AbSchedule.Order(4));
    }

    [Fact]
    public void Five_rounds_alternate_which_side_goes_first()
    {
        var runs = AbSchedule.Runs(5).Select(r => $"{r.Round}{r.Side}");

        Assert.Equal(["0A", "0B", "1B", "1A", "2A", "2B", "3B", "3A", "4A", "4B"], runs);
    }

    [Fact]
    public void Each_side_runs_once_per_round()
    {
        var runs = AbSchedule.Runs(6).ToList();

        Assert.Equal(6, runs.Count(r => r.Side == Side.A));
        Assert.Equal(6, runs.Count(r => r.Side == Side.B));
        Assert.All(runs.GroupBy(r => r.Round), g => Assert.Equal(2, g.Select(r => r.Side).Distinct().Count()));
    }

    [Fact]
    public async Task Alternating_runs_happen_in_the_schedule_and_come_back_paired_by_round()
    {
        var calls = new List<string>();
        var seen = new List<string>();

        var rounds = await AbSchedule.AlternateAsync(
            3,
            r =>
            {
                calls.Add($"A{r}");
                return Task.FromResult(r * 10);
            },
            r =>
            {
                calls.Add($"B{r}");
                return Task.FromResult(r * 10 + 1);
            },
            (r, side, result) => seen.Add($"{side}{r}={result}"));

        Assert.Equal(["A0", "B0", "B1", "A1", "A2", "B2"], calls);
        Assert.Equal(new[] { (0, 1), (10, 11), (20, 21) }, rounds);
        Assert.Equal(["A0=0", "B0=1", "B1=11", "A1=10", "A2=20", "B2=21"], seen);
    }

    [Fact]
    public async Task A_cancelled_alternation_stops_before_the_next_run()
    {
        using var cancel = new CancellationTokenSource();
        var calls = 0;

        await Assert.ThrowsAsync<OperationCanceledException>(() => AbSchedule.AlternateAsync(
            5,
            _ =>
            {
                calls++;
                cancel.Cancel();
                return Task.FromResult(0);
            },
            _ => Task.FromResult(0),
            cancel: cancel.Token));
        Assert.Equal(1, calls);
    }
}

public sealed class BudgetSpecs
{
    [Fact]
    public async Task A_loop_stops_after_its_count()
    {
        var budget = new Budget(7, TimeSpan.FromHours(1));

        var ran = await BoundedLoop.RunAsync(budget, _ => Task.CompletedTask);

        Assert.Equal(7, ran);
        Assert.Equal(7, budget.Taken);
        Assert.Equal(StopReason.Count, budget.Reason);
    }

    [Fact]
    public async Task A_loop_stops_when_its_time_is_up()
    {
        var now = TimeSpan.Zero;
        var budget = new Budget(1_000_000, TimeSpan.FromSeconds(10), elapsed: () => now);

        var ran = await BoundedLoop.RunAsync(budget, _ =>
        {
            now += TimeSpan.FromSeconds(3);
            return Task.CompletedTask;
        });

        Assert.Equal(4, ran);
        Assert.Equal(StopReason.Time, budget.Reason);
    }

    [Fact]
    public async Task A_loop_whose_time_is_up_before_it_starts_runs_nothing()
    {
        var budget = new Budget(10, TimeSpan.Zero);

        Assert.Equal(0, await BoundedLoop.RunAsync(budget, _ => Task.CompletedTask));
        Assert.Equal(StopReason.Time, budget.Reason);
    }

    [Fact]
    public async Task Workers_sharing_a_budget_run_exactly_its_count_in_all()
    {
        var budget = new Budget(1000, TimeSpan.FromHours(1));
        var bodies = 0;

        var ran = await BoundedLoop.RunWorkersAsync(8, budget, async (_, _) =>
        {
            Interlocked.Increment(ref bodies);
            await Task.Yield();
        });

        Assert.Equal(1000, ran);
        Assert.Equal(1000, bodies);
        Assert.Equal(1000, budget.Taken);
    }

    [Fact]
    public async Task A_cancelled_loop_stops_and_says_so()
    {
        using var cancel = new CancellationTokenSource();
        var budget = new Budget(100, TimeSpan.FromHours(1), cancel.Token);

        var ran = await BoundedLoop.RunAsync(budget, i =>
        {
            if (i == 2)
            {
                cancel.Cancel();
            }

            return Task.CompletedTask;
        });

        Assert.Equal(3, ran);
        Assert.Equal(StopReason.Cancelled, budget.Reason);
    }

    [Fact]
    public void Stopping_early_keeps_the_first_reason()
    {
        var budget = new Budget(100, TimeSpan.FromHours(1));
        Assert.True(budget.TryTake());

        budget.Stop(StopReason.Time);
        budget.Stop(StopReason.Count);

        Assert.False(budget.TryTake());
        Assert.Equal(StopReason.Time, budget.Reason);
        Assert.Equal(1, budget.Taken);
    }

    [Fact]
    public void A_negative_count_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new Budget(-1, TimeSpan.FromSeconds(1)));

    [Fact]
    public async Task Waiting_for_a_condition_that_never_holds_ends_at_its_timeout()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var held = await BoundedLoop.WaitUntilAsync(() => false, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(10));

        Assert.False(held);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(90), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Waiting_for_a_condition_that_holds_returns_at_once() =>
        Assert.True(await BoundedLoop.WaitUntilAsync(() => true, TimeSpan.FromHours(1), TimeSpan.FromHours(1)));
}
