using MessagingServer.Domain.Messages;

namespace MessagingServer.Domain.Sessions;

/// <summary>
/// Everything a user's session knows, rebuilt from its events. Pure: no actors, no I/O, no clock. It decides what
/// a command leads to (the <c>Decide…</c> methods: a reply and the events to store, given <c>now</c> and new ids) and
/// <see cref="Apply"/> is the only way its stored state changes, during recovery and live alike. The one thing it
/// holds that is not rebuilt from events is the send budget (<see cref="SendBudget"/>): a rate, not a record.
/// </summary>
public sealed partial class ChatSessionState
{
    /// <summary>
    /// The error code a send whose provider call ended without an answer was failed with before lost answers were looked
    /// up (<see cref="ReconcileStarted"/>); such events stay in old journals and are still understood.
    /// </summary>
    public const string OutcomeUnknownCode = "outcome_unknown";

    private readonly SessionLimits _limits;
    private readonly List<ISequencedEvent> _recent = [];
    private readonly OutboundLedger _outbound;
    private readonly KeyWindow _inboundSids;
    private readonly HashSet<(string Sender, string Client)> _optedOut = [];
    private readonly ConversationBook _conversations;
    private readonly SendBudget _sendBudget;

    public ChatSessionState(string userId, SessionLimits? limits = null, SendRate? sendRate = null)
    {
        UserId = userId;
        _limits = limits ?? SessionLimits.Default;
        _outbound = new OutboundLedger(_limits);
        _conversations = new ConversationBook(_limits.RememberedConversations);
        _inboundSids = new KeyWindow(_limits.RememberedProviderSids, _limits.DedupRetention);
        _sendBudget = new SendBudget(sendRate ?? SendRate.Unlimited);
    }

    public string UserId { get; }

    /// <summary>The seq of the newest visible event (0 before the first).</summary>
    public long LastSeq { get; private set; }

    /// <summary>Everything up to here has been acknowledged by one of the user's devices.</summary>
    public long AckedSeq { get; private set; }

    /// <summary>The oldest seq still held in memory; older events are read from the journal.</summary>
    public long OldestCachedSeq => _recent.Count == 0 ? LastSeq + 1 : _recent[0].Seq;

    /// <summary>The threads in memory: the newest <see cref="SessionLimits.RememberedConversations"/>, and every one with unread messages.</summary>
    public IEnumerable<ConversationSummary> Conversations => _conversations.All;

    public long NextSeq => LastSeq + 1;

    /// <summary>About how many records <see cref="ToSnapshot"/> would write: the cached events and the remembered sends.</summary>
    public int SnapshotRecords => _recent.Count + _outbound.Count;

    public bool IsOptedOut(string sender, string client) => _optedOut.Contains((sender, client));

    public OutboundAccepted? FindByClientRef(string clientRef) => _outbound.FindByClientRef(clientRef);

    /// <summary>A send is stored with no provider answer yet, or is being looked up at the provider.</summary>
    public bool HasSendsInFlight => _outbound.Any(r => r.AwaitsAnswer || r.Reconciling);

    /// <summary>How many sends are in memory (not final, or among the newest final ones).</summary>
    public int RememberedSends => _outbound.Count;

    public OutboundRecord? FindOutbound(string id) => _outbound.Find(id);

    public bool HasSeenInbound(string providerSid) => _inboundSids.Contains(providerSid);

    /// <summary>Outbound messages that were stored but whose provider call has no stored answer, oldest first.</summary>
    public IEnumerable<OutboundRecord> PendingDispatch() => _outbound.InOrder.Where(r => r.AwaitsAnswer);

    /// <summary>Events with seq in (<paramref name="after"/>, …], oldest first, as far as memory holds them.</summary>
    public IReadOnlyList<ISequencedEvent> EventsAfter(long after, int limit = int.MaxValue)
    {
        if (_recent.Count == 0 || after >= LastSeq)
        {
            return [];
        }

        var start = (int)Math.Max(0, after + 1 - _recent[0].Seq);
        var count = Math.Min(limit, _recent.Count - start);
        return count <= 0 ? [] : _recent.GetRange(start, count);
    }

    public void Apply(ISessionEvent e)
    {
        switch (e)
        {
            case ISequencedEvent sequenced:
                ApplySequenced(sequenced);
                break;
            case DispatchStarted d when _outbound.Find(d.Id) is { } record:
                record.Dispatched = true;
                break;
            case DispatchAccepted a when _outbound.Find(a.Id) is { } accepted:
                accepted.Dispatched = true;
                accepted.ProviderSid ??= a.ProviderSid;
                accepted.Reconciling = false;
                break;
            case ReconcileStarted r:
                ApplyReconcileStarted(r);
                break;
            case CursorAcked a when a.Seq > AckedSeq:
                AckedSeq = Math.Min(a.Seq, LastSeq);
                _conversations.Acked(AckedSeq);
                break;
            case ClientOptedOut o:
                _optedOut.Add((o.Sender, o.Client));
                break;
            case ClientOptedIn i:
                _optedOut.Remove((i.Sender, i.Client));
                break;
        }
    }

    private void ApplySequenced(ISequencedEvent e)
    {
        if (e.Seq <= LastSeq)
        {
            return; // already in the state (e.g. covered by the snapshot recovery started from)
        }

        LastSeq = e.Seq;
        _recent.Add(e);
        if (_recent.Count > _limits.CachedEvents)
        {
            _recent.RemoveRange(0, _recent.Count - _limits.CachedEvents);
        }

        switch (e)
        {
            case OutboundAccepted o:
                _outbound.Add(o);
                _conversations.Sent(o);
                break;
            case OutboundStatusChanged s when _outbound.Find(s.Id) is { } sent:
                sent.Status = s.Status;
                sent.Dispatched = true;
                sent.OutcomeUnknown = s.Error?.Code == OutcomeUnknownCode;
                sent.Reconciling &= s.ProviderSid is null && !s.Status.IsFinal();
                if (s.ProviderSid is not null)
                {
                    sent.ProviderSid = s.ProviderSid;
                }

                _conversations.StatusChanged(sent.Accepted, s.Status);
                break;
            case InboundReceived m:
                if (m.ProviderSid is not null)
                {
                    _inboundSids.Add(m.ProviderSid, m.Seq, m.At);
                }

                _conversations.Received(m, AckedSeq);
                break;
        }
    }
}
