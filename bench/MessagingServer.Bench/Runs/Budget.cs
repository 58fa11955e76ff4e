using System.Diagnostics;

namespace MessagingServer.Bench.Runs;

public enum StopReason
{
    None,
    Count,
    Time,
    Cancelled,
}

/// <summary>
/// Bounds a loop, or many workers sharing one loop, in count and in time: <see cref="TryTake"/> hands out
/// at most <c>maxCount</c> turns and none once <c>maxTime</c> has passed. Every load loop in the tool runs on one.
/// </summary>
public sealed class Budget
{
    private readonly long _maxCount;
    private readonly TimeSpan _maxTime;
    private readonly Func<TimeSpan> _elapsed;
    private readonly CancellationToken _cancel;
    private long _taken;
    private int _reason;

    public Budget(long maxCount, TimeSpan maxTime, CancellationToken cancel = default, Func<TimeSpan>? elapsed = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTime, TimeSpan.Zero);
        _maxCount = maxCount;
        _maxTime = maxTime;
        _cancel = cancel;
        if (elapsed is null)
        {
            var clock = Stopwatch.StartNew();
            _elapsed = () => clock.Elapsed;
        }
        else
        {
            _elapsed = elapsed;
        }
    }

    /// <summary>Turns handed out so far.</summary>
    public long Taken => Math.Min(Interlocked.Read(ref _taken), _maxCount);

    public StopReason Reason => (StopReason)Volatile.Read(ref _reason);

    public bool IsOver => Reason != StopReason.None;

    public bool TryTake()
    {
        if (IsOver)
        {
            return false;
        }

        if (_cancel.IsCancellationRequested)
        {
            Stop(StopReason.Cancelled);
            return false;
        }

        if (_elapsed() >= _maxTime)
        {
            Stop(StopReason.Time);
            return false;
        }

        if (Interlocked.Increment(ref _taken) > _maxCount)
        {
            Stop(StopReason.Count);
            return false;
        }

        return true;
    }

    /// <summary>Ends the loop early (e.g. a worker failed); the first reason given is kept.</summary>
    public void Stop(StopReason reason) => Interlocked.CompareExchange(ref _reason, (int)reason, (int)StopReason.None);
}

/// <summary>Loops bounded by a <see cref="Budget"/>.</summary>
public static class BoundedLoop
{
    /// <summary>Runs <paramref name="body"/> with 0, 1, 2... until the budget says stop; returns how many ran.</summary>
    public static async Task<long> RunAsync(Budget budget, Func<long, Task> body)
    {
        ArgumentNullException.ThrowIfNull(budget);
        ArgumentNullException.ThrowIfNull(body);
        long done = 0;
        while (budget.TryTake())
        {
            await body(done);
            done++;
        }

        return done;
    }

    /// <summary><paramref name="workers"/> loops sharing one budget; returns how many bodies ran in all.</summary>
    public static async Task<long> RunWorkersAsync(int workers, Budget budget, Func<int, long, Task> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var counts = await Task.WhenAll(Enumerable.Range(0, workers).Select(w => RunAsync(budget, i => body(w, i))));
        return counts.Sum();
    }

    /// <summary>Polls <paramref name="done"/> every <paramref name="interval"/> until it is true or <paramref name="timeout"/> passes.</summary>
    public static async Task<bool> WaitUntilAsync(Func<bool> done, TimeSpan timeout, TimeSpan interval, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(done);
        var clock = Stopwatch.StartNew();
        while (!done())
        {
            if (clock.Elapsed >= timeout || cancel.IsCancellationRequested)
            {
                return done();
            }

            await Task.Delay(interval, CancellationToken.None);
        }

        return true;
    }
}
