namespace MessagingServer.Sms;

/// <summary>How fast <see cref="RateLimitedMessagingService"/> lets sends through.</summary>
/// <param name="MessagesPerSecond">Sends per second per sender number.</param>
/// <param name="MaxConcurrentRequests">Provider calls in flight at once, over all senders.</param>
/// <param name="MaxQueuedPerSender">Sends that may wait for one sender's turn before more are refused.</param>
public sealed record SendRateLimits(double MessagesPerSecond, int MaxConcurrentRequests, int MaxQueuedPerSender)
{
    public TimeSpan Interval => TimeSpan.FromSeconds(1 / MessagesPerSecond);
}
