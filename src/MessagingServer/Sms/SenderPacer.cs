using System.Threading.Channels;

namespace MessagingServer.Sms;

/// <summary>
/// One sender's queue: waiters are let through in arrival order, at most one per interval. A waiter
/// cancelled in the queue leaves it at once, and its turn goes to the next one without extra delay.
/// A single pump task per sender hands out the turns; time comes from a <see cref="TimeProvider"/>.
/// </summary>
internal sealed class SenderPacer : IAsyncDisposable
{
    private readonly Channel<Waiter> _queue =
        Channel.CreateUnbounded<Waiter>(new UnboundedChannelOptions { SingleReader = true });

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

        var waiter = new Waiter();
        turn = waiter.Turn;
        if (cancellationToken.CanBeCanceled)
        {
            var registration = cancellationToken.Register(() => Settle(waiter, w => w.Cancel(cancellationToken)));
            _ = waiter.Turn.ContinueWith(_ => registration.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        if (!_queue.Writer.TryWrite(waiter))
        {
            Settle(waiter, w => w.Fail(new ObjectDisposedException(nameof(SenderPacer))));
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
                if (waiter.Turn.IsCompleted)
                {
                    continue; // cancelled while queued
                }

                if (lastGrant is { } last && _interval - _time.GetElapsedTime(last) is var wait && wait > TimeSpan.Zero)
                {
                    var delay = Task.Delay(wait, _time, _stop.Token);
                    _onPacing?.Invoke(_sender, wait);
                    await delay;
                }

                if (Settle(waiter, w => w.Grant()))
                {
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
            Settle(waiter, w => w.Fail(new ObjectDisposedException(nameof(SenderPacer))));
        }

        _stop.Dispose();
    }

    /// <summary>
    /// Ends a waiter's wait once, whoever gets there first (its turn, its cancellation, disposal), and takes it off
    /// the count before its task completes: a caller that sees its turn and queues again never finds itself counted.
    /// </summary>
    private bool Settle(Waiter waiter, Action<Waiter> complete)
    {
        if (!waiter.TryClaim())
        {
            return false;
        }

        Interlocked.Decrement(ref _waiting);
        complete(waiter);
        return true;
    }

    private sealed class Waiter
    {
        private readonly TaskCompletionSource _turn = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _claimed;

        public Task Turn => _turn.Task;

        public bool TryClaim() => Interlocked.Exchange(ref _claimed, 1) == 0;

        public void Grant() => _turn.SetResult();

        public void Cancel(CancellationToken token) => _turn.SetCanceled(token);

        public void Fail(Exception error) => _turn.SetException(error);
    }
}
