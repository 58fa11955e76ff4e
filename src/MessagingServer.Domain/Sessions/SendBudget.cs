namespace MessagingServer.Domain.Sessions;

/// <summary>How fast one user may send: <see cref="Burst"/> at once after being idle, then <see cref="PerSecond"/>.</summary>
public sealed record SendRate(double PerSecond, int Burst)
{
    /// <summary>No limit (tests and tools that build a session without one).</summary>
    public static readonly SendRate Unlimited = new(double.PositiveInfinity, int.MaxValue);

    public bool IsUnlimited => double.IsPositiveInfinity(PerSecond);
}

/// <summary>
/// A token bucket for one user's sends, kept by the user's session, so that the limit holds on every node together:
/// a user's sends all reach the one session, wherever their sockets are. Fed <c>now</c>; no clock of its own. Not
/// stored: a session that starts again starts with a full bucket, as an idle user's would be anyway.
/// </summary>
public sealed class SendBudget(SendRate rate)
{
    private double _tokens = rate.Burst;
    private DateTimeOffset? _updatedAt;

    public SendRate Rate { get; } = rate;

    /// <summary>Takes one send; false when the user is over the limit (nothing is taken then).</summary>
    public bool TryTake(DateTimeOffset now)
    {
        if (Rate.IsUnlimited)
        {
            return true;
        }

        Refill(now);
        if (_tokens < 1)
        {
            return false;
        }

        _tokens -= 1;
        return true;
    }

    /// <summary>How long until one more send would be taken.</summary>
    public TimeSpan RetryAfter(DateTimeOffset now)
    {
        if (Rate.IsUnlimited)
        {
            return TimeSpan.Zero;
        }

        Refill(now);
        return _tokens >= 1 ? TimeSpan.Zero : TimeSpan.FromSeconds((1 - _tokens) / Rate.PerSecond);
    }

    private void Refill(DateTimeOffset now)
    {
        // A clock set back counts as no time passing (never as a debt the user waits out).
        if (_updatedAt is { } last && now > last)
        {
            _tokens = Math.Min(Rate.Burst, _tokens + ((now - last).TotalSeconds * Rate.PerSecond));
        }

        _updatedAt = now;
    }
}
