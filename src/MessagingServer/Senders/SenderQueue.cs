using System.Globalization;
using MessagingServer.Domain.Messages;
using MessagingServer.Sms;
using MessagingServer.Twilio;

namespace MessagingServer.Senders;

/// <summary>Where one message stands in a <see cref="SenderQueue"/>.</summary>
public enum SenderStage
{
    /// <summary>Not known (never asked for, or forgotten).</summary>
    Unknown,

    /// <summary>Waiting for its turn.</summary>
    Waiting,

    /// <summary>Its turn came; waiting for its session to store "call started".</summary>
    Clearing,

    /// <summary>The provider call is under way.</summary>
    Calling,

    /// <summary>The call ended; its answer is remembered.</summary>
    Done,
}

/// <summary>
/// One sender's queue, pure (no actors, no timers; time is passed in). Each user of the sender has a FIFO, and turns
/// go round-robin between the users with sends waiting, so one user's burst never holds another user's send back
/// by more than one turn per user waiting. Turns are at least <see cref="SenderLimits.Interval"/> apart, at most
/// <see cref="SenderLimits.MaxInFlight"/> calls are under way, and after a "too many requests" answer the whole
/// sender pauses (doubling while it lasts). Every message id asked for is remembered with its stage, and its answer
/// once done, so a send asked for twice is called for once.
/// </summary>
public sealed class SenderQueue(SenderLimits limits)
{
    private readonly Dictionary<string, Queue<DispatchSms>> _waitingByUser = new(StringComparer.Ordinal);
    private readonly Queue<string> _turns = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Queue<string> _done = new();
    private DateTimeOffset? _lastTurn;
    private DateTimeOffset _pausedUntil = DateTimeOffset.MinValue;
    private TimeSpan _nextPause = limits.ThrottlePause;

    public int Waiting { get; private set; }

    /// <summary>Turns given and not finished: clearing or calling.</summary>
    public int InFlight { get; private set; }

    public bool IsIdle => Waiting == 0 && InFlight == 0;

    public SenderStage StageOf(string messageId) => _entries.TryGetValue(messageId, out var e) ? e.Stage : SenderStage.Unknown;

    public SendOutcome? OutcomeOf(string messageId) => _entries.TryGetValue(messageId, out var e) ? e.Outcome : null;

    /// <summary>Queues a send: <see cref="SenderStage.Waiting"/> when it joined, its stage when already known, <see cref="SenderStage.Unknown"/> when the queue is full.</summary>
    public SenderStage Enqueue(DispatchSms request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_entries.TryGetValue(request.MessageId, out var known))
        {
            return known.Stage;
        }

        if (Waiting >= limits.MaxQueued)
        {
            return SenderStage.Unknown;
        }

        _entries[request.MessageId] = new Entry(request) { Stage = SenderStage.Waiting };
        if (!_waitingByUser.TryGetValue(request.UserId, out var queue))
        {
            _waitingByUser[request.UserId] = queue = new Queue<DispatchSms>();
            _turns.Enqueue(request.UserId);
        }

        queue.Enqueue(request);
        Waiting++;
        return SenderStage.Waiting;
    }

    /// <summary>
    /// The send whose turn it is at <paramref name="now"/>, moved to <see cref="SenderStage.Clearing"/>; or null, with
    /// <paramref name="wait"/> the time until the next turn (zero when nothing waits or every call slot is taken).
    /// </summary>
    public DispatchSms? TryTake(DateTimeOffset now, out TimeSpan wait)
    {
        wait = TimeSpan.Zero;
        if (Waiting == 0 || InFlight >= limits.MaxInFlight)
        {
            return null;
        }

        var due = _lastTurn is { } last ? last + limits.Interval : now;
        if (_pausedUntil > due)
        {
            due = _pausedUntil;
        }

        if (due > now)
        {
            wait = due - now;
            return null;
        }

        var user = _turns.Dequeue();
        var queue = _waitingByUser[user];
        var next = queue.Dequeue();
        if (queue.Count == 0)
        {
            _waitingByUser.Remove(user);
        }
        else
        {
            _turns.Enqueue(user);
        }

        Waiting--;
        InFlight++;
        _entries[next.MessageId].Stage = SenderStage.Clearing;
        _lastTurn = now;
        return next;
    }

    /// <summary>The session stored "call started": the send moves to <see cref="SenderStage.Calling"/>. Null unless it was clearing.</summary>
    public DispatchSms? Clear(string messageId)
    {
        if (!_entries.TryGetValue(messageId, out var e) || e.Stage != SenderStage.Clearing)
        {
            return null;
        }

        e.Stage = SenderStage.Calling;
        return e.Request;
    }

    /// <summary>A clearing send that must not be called (refused or no answer from its session): forgotten, its slot freed.</summary>
    public bool Abandon(string messageId)
    {
        if (!_entries.TryGetValue(messageId, out var e) || e.Stage != SenderStage.Clearing)
        {
            return false;
        }

        _entries.Remove(messageId);
        InFlight--;
        return true;
    }

    /// <summary>The call ended: the answer is remembered (the oldest answers are forgotten past the limit). Null unless it was calling.</summary>
    public DispatchSms? Complete(string messageId, SendOutcome outcome, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (!_entries.TryGetValue(messageId, out var e) || e.Stage != SenderStage.Calling)
        {
            return null;
        }

        var request = e.Request;
        e.Stage = SenderStage.Done;
        e.Outcome = outcome;
        // A finished call is remembered by its outcome only: the request (body, numbers, media) is not needed again.
        e.Request = null;
        InFlight--;
        _done.Enqueue(messageId);
        while (_done.Count > limits.RememberedOutcomes)
        {
            _entries.Remove(_done.Dequeue());
        }

        if (outcome is SendOutcome.Rejected { Error.Code: var code } && code == Throttled)
        {
            _pausedUntil = now + _nextPause;
            _nextPause = TimeSpan.FromTicks(Math.Min(_nextPause.Ticks * 2, limits.MaxThrottlePause.Ticks));
        }
        else if (outcome is SendOutcome.Accepted)
        {
            _nextPause = limits.ThrottlePause;
        }

        return request;
    }

    private static readonly string Throttled = TwilioErrorCodes.TooManyRequests.ToString(CultureInfo.InvariantCulture);

    private sealed class Entry(DispatchSms request)
    {
        /// <summary>The send, until its call has ended (null once <see cref="SenderStage.Done"/>).</summary>
        public DispatchSms? Request { get; set; } = request;

        public SenderStage Stage { get; set; }

        public SendOutcome? Outcome { get; set; }
    }
}
