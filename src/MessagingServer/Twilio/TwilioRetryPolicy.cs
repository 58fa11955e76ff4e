namespace MessagingServer.Twilio;

/// <summary>
/// Backoff for "too many requests": <c>Retry-After</c> when Twilio gives one, else exponential from a base
/// delay with jitter (each wait drawn between half and all of base × 2^(retry−1)), so that many
/// throttled sends don't come back in step.
/// </summary>
internal static class TwilioRetryPolicy
{
    /// <param name="retry">1 for the first retry.</param>
    /// <param name="jitter">A number in [0, 1).</param>
    public static TimeSpan NextDelay(int retry, TimeSpan baseDelay, TimeSpan? retryAfter, double jitter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retry, 1);
        if (retryAfter is { } after)
        {
            return after < TimeSpan.Zero ? TimeSpan.Zero : after;
        }

        var exponential = baseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(retry - 1, 20));
        return TimeSpan.FromMilliseconds(exponential * (0.5 + (Math.Clamp(jitter, 0, 1) / 2)));
    }
}
