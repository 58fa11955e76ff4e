using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace MessagingServer.Security;

/// <summary>
/// A token bucket per user for outbound <c>send</c>s: <see cref="LimitsOptions.SendBurst"/> at once,
/// then <see cref="LimitsOptions.SendsPerSecond"/>. One user's flood never slows another user. A bucket
/// that has refilled completely is the same as a new one, so idle users' buckets are dropped.
/// </summary>
public sealed class UserSendRateLimiter
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly double _ratePerTick;
    private readonly double _burst;
    private long _nextSweep;

    public UserSendRateLimiter(IOptions<LimitsOptions> options, TimeProvider time)
    {
        _time = time;
        _ratePerTick = options.Value.SendsPerSecond / time.TimestampFrequency;
        _burst = options.Value.SendBurst;
        _nextSweep = time.GetTimestamp() + Ticks(SweepInterval);
    }

    /// <summary>Number of users with a bucket in memory (for tests and metrics).</summary>
    public int TrackedUsers => _buckets.Count;

    /// <summary>Takes one send from the user's bucket; false when the user is over the limit (answer <c>rate_limited</c>).</summary>
    public bool TryAcquire(string userId)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        var now = _time.GetTimestamp();
        SweepIfDue(now);
        var bucket = _buckets.GetOrAdd(userId, static (_, state) => new Bucket(state.Burst, state.Now), (Burst: _burst, Now: now));
        return bucket.TryTake(now, _ratePerTick, _burst);
    }

    private void SweepIfDue(long now)
    {
        var due = Interlocked.Read(ref _nextSweep);
        if (now < due || Interlocked.CompareExchange(ref _nextSweep, now + Ticks(SweepInterval), due) != due)
        {
            return;
        }

        foreach (var (user, bucket) in _buckets)
        {
            if (bucket.IsFull(now, _ratePerTick, _burst))
            {
                // A send that raced the sweep finds a fresh full bucket: the same answer it would have had.
                _buckets.TryRemove(new KeyValuePair<string, Bucket>(user, bucket));
            }
        }
    }

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);

    private sealed class Bucket(double tokens, long updatedAt)
    {
        private readonly Lock _gate = new();
        private double _tokens = tokens;
        private long _updatedAt = updatedAt;

        public bool TryTake(long now, double ratePerTick, double burst)
        {
            lock (_gate)
            {
                Refill(now, ratePerTick, burst);
                if (_tokens < 1)
                {
                    return false;
                }

                _tokens -= 1;
                return true;
            }
        }

        public bool IsFull(long now, double ratePerTick, double burst)
        {
            lock (_gate)
            {
                Refill(now, ratePerTick, burst);
                return _tokens >= burst;
            }
        }

        private void Refill(long now, double ratePerTick, double burst)
        {
            if (now > _updatedAt)
            {
                _tokens = Math.Min(burst, _tokens + ((now - _updatedAt) * ratePerTick));
                _updatedAt = now;
            }
        }
    }
}
