using MessagingServer.Domain.Sessions;

namespace MessagingServer.Tests.Domain.Sessions;

/// <summary>The per-user token bucket the session keeps (Limits:SendsPerSecond, Limits:SendBurst).</summary>
public sealed class SendBudgetSpecs
{
    private static readonly DateTimeOffset At = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static int Taken(SendBudget budget, DateTimeOffset now, int attempts) =>
        Enumerable.Range(0, attempts).Count(_ => budget.TryTake(now));

    [Fact]
    public void A_user_may_send_a_burst_then_is_limited()
    {
        var budget = new SendBudget(new SendRate(2, 3));

        Assert.Equal(3, Taken(budget, At, 10));
        Assert.False(budget.TryTake(At));
    }

    [Fact]
    public void Sends_come_back_at_the_configured_rate()
    {
        var budget = new SendBudget(new SendRate(2, 3));
        Taken(budget, At, 3);

        Assert.False(budget.TryTake(At.AddMilliseconds(499)));
        Assert.True(budget.TryTake(At.AddMilliseconds(500)));
        Assert.Equal(2, Taken(budget, At.AddMilliseconds(1500), 5));
    }

    [Fact]
    public void An_idle_user_never_saves_up_more_than_the_burst()
    {
        var budget = new SendBudget(new SendRate(2, 3));
        budget.TryTake(At);

        Assert.Equal(3, Taken(budget, At.AddHours(1), 10));
    }

    [Fact]
    public void Refused_sends_spend_nothing()
    {
        var budget = new SendBudget(new SendRate(1, 1));
        budget.TryTake(At);
        Assert.Equal(0, Taken(budget, At.AddMilliseconds(900), 100));

        Assert.True(budget.TryTake(At.AddMilliseconds(1050)));
    }

    [Fact]
    public void Retry_after_says_when_the_next_send_is_taken()
    {
        var budget = new SendBudget(new SendRate(4, 1));
        Assert.Equal(TimeSpan.Zero, budget.RetryAfter(At));
        budget.TryTake(At);

        Assert.Equal(TimeSpan.FromMilliseconds(250), budget.RetryAfter(At));
        Assert.Equal(TimeSpan.FromMilliseconds(125), budget.RetryAfter(At.AddMilliseconds(125)));
    }

    [Fact]
    public void A_clock_set_back_is_no_debt_to_wait_out()
    {
        var budget = new SendBudget(new SendRate(1, 1));
        budget.TryTake(At);

        var earlier = At.AddHours(-1);
        Assert.False(budget.TryTake(earlier));
        Assert.True(budget.TryTake(earlier.AddSeconds(1)));
    }

    [Fact]
    public void Unlimited_takes_everything()
    {
        var budget = new SendBudget(SendRate.Unlimited);

        Assert.Equal(10_000, Taken(budget, At, 10_000));
        Assert.Equal(TimeSpan.Zero, budget.RetryAfter(At));
    }
}
