using MessagingServer.Security;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace MessagingServer.Tests.Security;

public sealed class UserSendRateLimiterSpecs
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    private UserSendRateLimiter Limiter(double perSecond = 2, int burst = 3) =>
        new(Options.Create(new LimitsOptions { SendsPerSecond = perSecond, SendBurst = burst }), _time);

    private static int Acquired(UserSendRateLimiter limiter, string user, int attempts) =>
        Enumerable.Range(0, attempts).Count(_ => limiter.TryAcquire(user));

    [Fact]
    public void A_user_may_send_a_burst_then_is_limited()
    {
        var limiter = Limiter(burst: 3);

        Assert.Equal(3, Acquired(limiter, "alice", 10));
        Assert.False(limiter.TryAcquire("alice"));
    }

    [Fact]
    public void Sends_come_back_at_the_configured_rate()
    {
        var limiter = Limiter(perSecond: 2, burst: 3);
        Acquired(limiter, "alice", 3);

        _time.Advance(TimeSpan.FromMilliseconds(499));
        Assert.False(limiter.TryAcquire("alice"));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(limiter.TryAcquire("alice"));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2, Acquired(limiter, "alice", 5));
    }

    [Fact]
    public void An_idle_user_never_saves_up_more_than_the_burst()
    {
        var limiter = Limiter(perSecond: 2, burst: 3);

        _time.Advance(TimeSpan.FromHours(1));

        Assert.Equal(3, Acquired(limiter, "alice", 10));
    }

    [Fact]
    public void One_users_flood_does_not_limit_another_user()
    {
        var limiter = Limiter(burst: 3);
        Acquired(limiter, "alice", 100);

        Assert.Equal(3, Acquired(limiter, "bob", 3));
        Assert.False(limiter.TryAcquire("alice"));
    }

    [Fact]
    public void Buckets_of_idle_users_are_dropped_and_behave_as_new()
    {
        var limiter = Limiter(perSecond: 2, burst: 3);
        foreach (var user in Enumerable.Range(0, 100).Select(i => $"user{i}"))
        {
            limiter.TryAcquire(user);
        }

        Assert.Equal(100, limiter.TrackedUsers);
        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.True(limiter.TryAcquire("someone"));

        Assert.Equal(1, limiter.TrackedUsers);
        Assert.Equal(3, Acquired(limiter, "user1", 10));
    }

    [Fact]
    public void Concurrent_sends_of_one_user_never_exceed_the_burst()
    {
        var limiter = Limiter(perSecond: 0.01, burst: 50);
        var granted = 0;

        Parallel.For(0, 1000, _ =>
        {
            if (limiter.TryAcquire("alice"))
            {
                Interlocked.Increment(ref granted);
            }
        });

        Assert.Equal(50, granted);
    }
}
