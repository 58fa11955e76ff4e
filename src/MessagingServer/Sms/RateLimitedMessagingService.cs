using System.Collections.Concurrent;
using MessagingServer.Domain.Messages;
using MessagingServer.Domain.Protocol;

namespace MessagingServer.Sms;

/// <summary>
/// Wraps a provider so that each sender number sends at most <see cref="SendRateLimits.MessagesPerSecond"/>:
/// a burst waits its turn (in order) instead of being refused, and at most
/// <see cref="SendRateLimits.MaxConcurrentRequests"/> provider calls run at once. A send whose token is
/// cancelled while it waits leaves the queue at once and is never sent. Only a queue already holding
/// <see cref="SendRateLimits.MaxQueuedPerSender"/> waiting sends refuses more (<c>rate_limited</c>).
/// </summary>
public sealed partial class RateLimitedMessagingService : IClientMessagingService, IAsyncDisposable
{
    private readonly IClientMessagingService _inner;
    private readonly SendRateLimits _limits;
    private readonly TimeProvider _time;
    private readonly ILogger<RateLimitedMessagingService> _logger;
    private readonly ConcurrentDictionary<string, Lazy<SenderPacer>> _pacers = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _concurrency;

    public RateLimitedMessagingService(
        IClientMessagingService inner, SendRateLimits limits, TimeProvider time, ILogger<RateLimitedMessagingService> logger)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limits.MessagesPerSecond);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limits.MaxConcurrentRequests);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limits.MaxQueuedPerSender);
        _inner = inner;
        _limits = limits;
        _time = time;
        _logger = logger;
        _concurrency = new SemaphoreSlim(limits.MaxConcurrentRequests, limits.MaxConcurrentRequests);
    }

    /// <summary>Test hook: called with the sender and the wait each time a send must wait for its turn (after the wait is scheduled).</summary>
    internal Action<string, TimeSpan>? PacingStarted { get; init; }

    /// <summary>Sends waiting for <paramref name="sender"/>'s next turn.</summary>
    public int QueueDepth(string sender) => _pacers.TryGetValue(sender, out var pacer) ? pacer.Value.Waiting : 0;

    /// <summary>Turns handed out to <paramref name="sender"/> so far.</summary>
    public long PermitsGranted(string sender) => _pacers.TryGetValue(sender, out var pacer) ? pacer.Value.Granted : 0;

    public async Task<SendOutcome> SendAsync(OutboundSms sms, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sms);
        cancellationToken.ThrowIfCancellationRequested();
        var pacer = _pacers.GetOrAdd(sms.From, static (sender, self) => new Lazy<SenderPacer>(
            () => new SenderPacer(sender, self._limits.Interval, self._limits.MaxQueuedPerSender, self._time, self.PacingStarted)), this).Value;
        if (!pacer.TryEnqueue(cancellationToken, out var turn))
        {
            LogQueueFull(_logger, sms.MessageId, _limits.MaxQueuedPerSender);
            return new SendOutcome.Rejected(new ProviderError(
                ErrorCodes.RateLimited, $"Too many messages are waiting for this sender (over {_limits.MaxQueuedPerSender}); try again later."));
        }

        await turn;
        await _concurrency.WaitAsync(cancellationToken);
        try
        {
            return await _inner.SendAsync(sms, cancellationToken);
        }
        finally
        {
            _concurrency.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var pacer in _pacers.Values)
        {
            if (pacer.IsValueCreated)
            {
                await pacer.Value.DisposeAsync();
            }
        }

        _concurrency.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "SMS {MessageId} refused: over {QueueLimit} sends already wait for its sender")]
    private static partial void LogQueueFull(ILogger logger, string messageId, int queueLimit);
}
