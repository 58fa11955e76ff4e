using System.Threading.Channels;

namespace MessagingServer.Sms;

/// <summary>
/// One sender's queue: waiters are let through in arrival order, at most one per interval. A waiter
/// cancelled in the queue leaves it at once, and its turn goes to the next one without extra delay.
/// A single pump task per sender hands out the turns; time comes from a <see cref="TimeProvider"/>.
/// </summary>
internal sealed class SenderPacer : IAsyncDisposable
{
    private readonly Channel<TaskCompletionSource> _queue =
        Channel.CreateUnbounded<TaskCompletionSource>(new UnboundedChannelOptions { SingleReader = true });

    private readonly string _sender;
    private readonly TimeSpan _interval;
    private readonly int _queueLimit;
    private readonly TimeProvider _time;
    private readonly Action<string, TimeSpan>? _onPacing;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pump;
    private int _waiting;
    private long _granted;

    public SenderPacer(string sender, TimeSpan interval, int queueLimit, TimeProvider time, Action<string, TimeSpan>? onPacing)
    {
        _sender = sender;
        _interval = interval;
        _queueLimit = queueLimit;
        _time = time;
        _onPacing = onPacing;
        _pump = Task.Run(PumpAsync);
    }

    /// <summary>Sends waiting for their turn right now.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Turns handed out so far.</summary>
    public long Granted => Interlocked.Read(ref _granted);

    /// <summary>
    /// Queues a waiter; false when <c>queueLimit</c> sends already wait (the one about to get its turn included). The task completes at the waiter's turn, or is
    /// cancelled with <paramref name="cancellationToken"/> (leaving the queue at once).
    /// </summary>
    public bool TryEnqueue(CancellationToken cancellationToken, out Task turn)
    {
        if (Interlocked.Increment(ref _waiting) > _queueLimit)
        {
            Interlocked.Decrement(ref _waiting);
            turn = Task.CompletedTask;
            return false;
        }

        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        turn = waiter.Task;
        if (cancellationToken.CanBeCanceled)
        {
            var registration = cancellationToken.Register(() =>
            {
                if (waiter.TrySetCanceled(cancellationToken))
                {
                    Interlocked.Decrement(ref _waiting);
                }
            });
            _ = waiter.Task.ContinueWith(_ => registration.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        if (!_queue.Writer.TryWrite(waiter) && waiter.TrySetException(new ObjectDisposedException(nameof(SenderPacer))))
        {
            Interlocked.Decrement(ref _waiting);
        }

        return true;
    }

    private async Task PumpAsync()
    {
        long? lastGrant = null;
        try
        {
            await foreach (var waiter in _queue.Reader.ReadAllAsync(_stop.Token))
            {
                if (waiter.Task.IsCompleted)
                {
                    continue; // cancelled while queued
                }

                if (lastGrant is { } last && _interval - _time.GetElapsedTime(last) is var wait && wait > TimeSpan.Zero)
                {
                    var delay = Task.Delay(wait, _time, _stop.Token);
                    _onPacing?.Invoke(_sender, wait);
                    await delay;
                }

                if (waiter.TrySetResult())
                {
                    Interlocked.Decrement(ref _waiting);
                    Interlocked.Increment(ref _granted);
                    lastGrant = _time.GetTimestamp();
                }

                // else: cancelled while we waited; the turn passes to the next waiter without another wait.
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stop.CancelAsync();
        await _pump;
        while (_queue.Reader.TryRead(out var waiter))
        {
            if (waiter.TrySetException(new ObjectDisposedException(nameof(SenderPacer))))
            {
                Interlocked.Decrement(ref _waiting);
            }
        }

        _stop.Dispose();
    }
}
