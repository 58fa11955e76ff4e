using System.Diagnostics;

namespace MessagingServer.Bench.Scenarios;

/// <summary>
/// An open-loop schedule: message <c>i</c> is due <c>i / rate</c> seconds after the start, whatever happened to the
/// ones before it. Latency taken on such a schedule is what a user sees at that load, not the queueing a closed loop
/// at saturation builds up. Times are <see cref="Stopwatch"/> ticks.
/// </summary>
public sealed record PacedSchedule
{
    public PacedSchedule(double ratePerSecond)
    {
        if (!double.IsFinite(ratePerSecond) || ratePerSecond <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(ratePerSecond), ratePerSecond, "a paced rate is a positive number of messages per second");
        }

        RatePerSecond = ratePerSecond;
    }

    public double RatePerSecond { get; }

    /// <summary>Stopwatch ticks after the start at which message <paramref name="index"/> is due.</summary>
    public long DueTicks(long index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return (long)(index * (double)Stopwatch.Frequency / RatePerSecond);
    }

    /// <summary>How long to wait, <paramref name="elapsedTicks"/> after the start, before posting message <paramref name="index"/> (zero when it is due or late).</summary>
    public TimeSpan WaitFor(long index, long elapsedTicks)
    {
        var ticks = DueTicks(index) - elapsedTicks;
        return ticks <= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(ticks / (double)Stopwatch.Frequency);
    }

    /// <summary>How long <paramref name="messages"/> take on this schedule.</summary>
    public TimeSpan Duration(long messages) => TimeSpan.FromSeconds(Math.Max(0, messages) / RatePerSecond);

    /// <summary>
    /// Waits until message <paramref name="index"/> is due, never before: Task.Delay truncates to whole milliseconds, so
    /// each wait is rounded up and the time read again (bounded: each pass waits at least 1 ms and the due time is fixed).
    /// </summary>
    public async Task WaitForTurnAsync(long index, long startTimestamp, CancellationToken cancel)
    {
        for (var wait = WaitFor(index, Stopwatch.GetTimestamp() - startTimestamp); wait > TimeSpan.Zero;
             wait = WaitFor(index, Stopwatch.GetTimestamp() - startTimestamp))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(wait.TotalMilliseconds)), cancel);
        }
    }

    /// <summary>Half the median saturation rate of the server's rounds, or null when it was not measured.</summary>
    public static PacedSchedule? HalfOf(double saturationPerSecond) =>
        double.IsFinite(saturationPerSecond) && saturationPerSecond > 0 ? new PacedSchedule(saturationPerSecond / 2) : null;
}
