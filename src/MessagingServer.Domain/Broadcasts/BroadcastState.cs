namespace MessagingServer.Domain.Broadcasts;

/// <summary>
/// One broadcast, rebuilt from its events. Pure: the <c>Decide…</c> methods say what a command leads to (given
/// <c>now</c>), <see cref="Apply"/> is the only way the state changes, in recovery and live alike. Which recipients
/// are in flight (handed to the session, no answer yet) is the actor's: not stored, passed in.
/// </summary>
public sealed partial class BroadcastState
{
    private readonly List<string> _recipients = [];
    private readonly HashSet<int> _partsIn = [];

    /// <summary>Parts may be stored in any order; the list is put together in part order once all are in.</summary>
    private readonly SortedDictionary<int, IReadOnlyList<string>> _parts = [];
    private readonly HashSet<int> _pendingAtCancel = [];
    private BroadcastOutcome?[] _outcomes = [];
    private int _cursor;

    public BroadcastCreated? Created { get; private set; }

    public string? Id => Created?.Id;

    /// <summary>Every part of the recipient list is stored: the broadcast may go.</summary>
    public bool IsReady => Created is { } created && _partsIn.Count == created.Parts;

    public bool IsCancelled { get; private set; }

    /// <summary>Finished and its final progress reported: a recovered broadcast in this state does nothing.</summary>
    public bool IsClosed { get; private set; }

    public int Sent { get; private set; }

    public int Failed { get; private set; }

    public int Skipped { get; private set; }

    /// <summary>The distinct recipients once all parts are in (until then, the number the creation announced).</summary>
    public int Total => IsReady ? _recipients.Count : Created?.Total ?? 0;

    public int Cancelled => IsCancelled ? Total - Sent - Failed - Skipped - _pendingAtCancel.Count : 0;

    public BroadcastProgress Progress => new(Id ?? "", Total, Sent, Failed, Skipped, Cancelled);

    public bool IsFinished => IsReady && Progress.IsFinished;

    public string RecipientAt(int index) => _recipients[index];

    public string ClientRefFor(int index) => BroadcastIds.RecipientClientRef(Id!, index);

    /// <summary>
    /// One part of a new broadcast: the events to store (the creation with the first part that comes, then the part),
    /// none when the part is stored already; null when it does not fit the broadcast (another body or size).
    /// </summary>
    public IReadOnlyList<IBroadcastEvent>? DecideAddPart(BroadcastCreated candidate, int part, IReadOnlyList<string> numbers)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(numbers);
        if (part < 0 || part >= candidate.Parts)
        {
            return null;
        }

        if (Created is { } created)
        {
            if (created.Total != candidate.Total || created.Parts != candidate.Parts || created.Body != candidate.Body)
            {
                return null;
            }

            return _partsIn.Contains(part) ? [] : [new BroadcastRecipientsAdded(part, numbers)];
        }

        return [candidate, new BroadcastRecipientsAdded(part, numbers)];
    }

    /// <summary>The next recipient to hand to the session, or null when none may go now (cancelled, finished, all in flight).</summary>
    public int? NextToHand(IReadOnlySet<int> inFlight)
    {
        ArgumentNullException.ThrowIfNull(inFlight);
        if (!IsReady)
        {
            return null;
        }

        if (IsCancelled)
        {
            // Only the ones that may have been handed before the cancel: their outcome is asked for again.
            foreach (var index in _pendingAtCancel)
            {
                if (!inFlight.Contains(index))
                {
                    return index;
                }
            }

            return null;
        }

        while (_cursor < _outcomes.Length && _outcomes[_cursor] is not null)
        {
            _cursor++;
        }

        for (var i = _cursor; i < _outcomes.Length; i++)
        {
            if (_outcomes[i] is null && !inFlight.Contains(i))
            {
                return i;
            }
        }

        return null;
    }

    /// <summary>A recipient's outcome, stored once: null when it is settled already (or was cancelled).</summary>
    public BroadcastRecipientSettled? DecideSettle(int index, BroadcastOutcome outcome, DateTimeOffset now)
    {
        if (!IsReady || index < 0 || index >= _outcomes.Length || _outcomes[index] is not null)
        {
            return null;
        }

        return IsCancelled && !_pendingAtCancel.Contains(index) ? null : new BroadcastRecipientSettled(index, outcome, now);
    }

    /// <summary>Cancels what has not gone: null when there is nothing left to cancel (cancelled already, or finished).</summary>
    public BroadcastCancelled? DecideCancel(IReadOnlySet<int> inFlight, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(inFlight);
        if (Created is null || IsCancelled || IsFinished)
        {
            return null;
        }

        return new BroadcastCancelled(inFlight.Where(i => i >= 0 && i < _outcomes.Length && _outcomes[i] is null).Order().ToList(), now);
    }

    public void Apply(IBroadcastEvent e)
    {
        switch (e)
        {
            case BroadcastCreated created when Created is null:
                Created = created;
                break;
            case BroadcastRecipientsAdded added when Created is not null && _partsIn.Add(added.Part):
                AddPart(added);
                break;
            case BroadcastRecipientSettled settled when settled.Index >= 0 && settled.Index < _outcomes.Length && _outcomes[settled.Index] is null:
                _outcomes[settled.Index] = settled.Outcome;
                _pendingAtCancel.Remove(settled.Index);
                switch (settled.Outcome)
                {
                    case BroadcastOutcome.Sent:
                        Sent++;
                        break;
                    case BroadcastOutcome.Failed:
                        Failed++;
                        break;
                    default:
                        Skipped++;
                        break;
                }

                break;
            case BroadcastClosed:
                IsClosed = true;
                break;
            case BroadcastCancelled cancelled when !IsCancelled:
                IsCancelled = true;
                _pendingAtCancel.UnionWith(cancelled.InFlight.Where(i => i >= 0 && i < _outcomes.Length && _outcomes[i] is null));
                break;
        }
    }

    private void AddPart(BroadcastRecipientsAdded added)
    {
        _parts[added.Part] = added.Numbers;
        if (!IsReady)
        {
            return;
        }

        // A number given twice (in one part or two) is texted once.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var number in _parts.Values.SelectMany(numbers => numbers))
        {
            if (seen.Add(number))
            {
                _recipients.Add(number);
            }
        }

        _parts.Clear();
        _outcomes = new BroadcastOutcome?[_recipients.Count];
    }
}
