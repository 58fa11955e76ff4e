using MessagingServer.Domain.Messages;

namespace MessagingServer.Domain.Sessions;

/// <summary>
/// Everything a user's session knows, rebuilt from its events. Pure: no actors, no I/O.
/// <see cref="Apply"/> is the only way state changes, during recovery and live alike.
/// </summary>
public sealed class ChatSessionState
{
    private readonly SessionLimits _limits;
    private readonly List<ISequencedEvent> _recent = [];
    private readonly Dictionary<string, OutboundRecord> _outbound = new(StringComparer.Ordinal);
    private readonly BoundedSet<string> _clientRefs;
    private readonly Dictionary<string, string> _idByClientRef = new(StringComparer.Ordinal);
    private readonly BoundedSet<string> _inboundSids;
    private readonly HashSet<(string Sender, string Client)> _optedOut = [];
    private readonly Dictionary<string, ConversationSummary> _conversations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Queue<long>> _unread = new(StringComparer.Ordinal);

    public ChatSessionState(string userId, SessionLimits? limits = null)
    {
        UserId = userId;
        _limits = limits ?? SessionLimits.Default;
        _clientRefs = new BoundedSet<string>(_limits.RememberedClientRefs);
        _inboundSids = new BoundedSet<string>(_limits.RememberedProviderSids);
    }

    public string UserId { get; }

    /// <summary>The seq of the newest visible event (0 before the first).</summary>
    public long LastSeq { get; private set; }

    /// <summary>Everything up to here has been acknowledged by one of the user's devices.</summary>
    public long AckedSeq { get; private set; }

    /// <summary>The oldest seq still held in memory; older events are read from the journal.</summary>
    public long OldestCachedSeq => _recent.Count == 0 ? LastSeq + 1 : _recent[0].Seq;

    public IReadOnlyCollection<ConversationSummary> Conversations => _conversations.Values;

    public long NextSeq => LastSeq + 1;

    /// <summary>About how many records <see cref="ToSnapshot"/> would write: the cached events and the remembered sends.</summary>
    public int SnapshotRecords => _recent.Count + _outbound.Count;

    public bool IsOptedOut(string sender, string client) => _optedOut.Contains((sender, client));

    public OutboundAccepted? FindByClientRef(string clientRef) =>
        _idByClientRef.TryGetValue(clientRef, out var id) && _outbound.TryGetValue(id, out var record) ? record.Accepted : null;

    public OutboundRecord? FindOutbound(string id) => _outbound.GetValueOrDefault(id);

    public bool HasSeenInbound(string providerSid) => _inboundSids.Contains(providerSid);

    /// <summary>Outbound messages that were stored but whose provider call has no stored answer, oldest first.</summary>
    public IEnumerable<OutboundRecord> PendingDispatch() =>
        _outbound.Values.Where(r => r.AwaitsAnswer).OrderBy(r => r.Accepted.Seq);

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
            case DispatchStarted d when _outbound.TryGetValue(d.Id, out var record):
                record.Dispatched = true;
                break;
            case DispatchAccepted a when _outbound.TryGetValue(a.Id, out var accepted):
                accepted.Dispatched = true;
                accepted.ProviderSid ??= a.ProviderSid;
                break;
            case CursorAcked a when a.Seq > AckedSeq:
                AckedSeq = Math.Min(a.Seq, LastSeq);
                foreach (var (number, queue) in _unread)
                {
                    while (queue.Count > 0 && queue.Peek() <= AckedSeq)
                    {
                        queue.Dequeue();
                    }

                    _conversations[number] = _conversations[number] with { UnreadCount = queue.Count };
                }

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
                var record = new OutboundRecord(o);
                _outbound[o.Id] = record;
                if (o.ClientRef is not null)
                {
                    if (_clientRefs.Add(o.ClientRef, out var forgotten) && forgotten is not null)
                    {
                        _idByClientRef.Remove(forgotten);
                    }

                    _idByClientRef[o.ClientRef] = o.Id;
                }

                Touch(o.To, o);
                TrimOutbound();
                break;
            case OutboundStatusChanged s when _outbound.TryGetValue(s.Id, out var sent):
                sent.Status = s.Status;
                sent.Dispatched = true;
                sent.OutcomeUnknown = s.Error?.Code == OutcomeUnknownCode;
                if (s.ProviderSid is not null)
                {
                    sent.ProviderSid = s.ProviderSid;
                }

                _conversations[sent.Accepted.To] = _conversations.TryGetValue(sent.Accepted.To, out var c)
                    ? c with { LastStatus = s.Status }
                    : new ConversationSummary(sent.Accepted.To, sent.Accepted, 0, s.Status);
                break;
            case InboundReceived m:
                if (m.ProviderSid is not null)
                {
                    _inboundSids.Add(m.ProviderSid, out _);
                }

                if (m.Seq > AckedSeq)
                {
                    if (!_unread.TryGetValue(m.From, out var queue))
                    {
                        _unread[m.From] = queue = new Queue<long>();
                    }

                    queue.Enqueue(m.Seq);
                }

                Touch(m.From, m);
                break;
        }
    }

    private void Touch(string clientNumber, ISequencedEvent last)
    {
        var unread = _unread.TryGetValue(clientNumber, out var queue) ? queue.Count : 0;
        var status = last is OutboundAccepted o ? o.Status : (MessageStatus?)null;
        _conversations[clientNumber] = new ConversationSummary(clientNumber, last, unread, status);
    }

    /// <summary>Forget final messages beyond the remembered window; pending ones are always kept.</summary>
    private void TrimOutbound()
    {
        if (_outbound.Count <= _limits.RememberedOutbound * 2)
        {
            return;
        }

        foreach (var old in _outbound.Values.Where(r => r.Status.IsFinal()).OrderBy(r => r.Accepted.Seq)
                     .Take(_outbound.Count - _limits.RememberedOutbound).ToList())
        {
            _outbound.Remove(old.Accepted.Id);
        }
    }

    public ChatSessionSnapshot ToSnapshot() => new(
        UserId,
        LastSeq,
        AckedSeq,
        _recent.OfType<OutboundAccepted>().ToList(),
        _recent.OfType<OutboundStatusChanged>().ToList(),
        _recent.OfType<InboundReceived>().ToList(),
        _outbound.Values.OrderBy(r => r.Accepted.Seq)
            .Select(r => new OutboundSnapshot(r.Accepted, r.Status, r.Dispatched, r.OutcomeUnknown, r.ProviderSid)).ToList(),
        _clientRefs.InOrder.ToList(),
        _inboundSids.InOrder.ToList(),
        _optedOut.Select(p => new OptOutPair(p.Sender, p.Client)).ToList(),
        _conversations.Values.Select(c => new ConversationSnapshot(
            c.ClientNumber,
            c.LastEvent as OutboundAccepted,
            c.LastEvent as InboundReceived,
            c.LastStatus,
            _unread.TryGetValue(c.ClientNumber, out var q) ? q.ToList() : [])).ToList());

    public static ChatSessionState FromSnapshot(ChatSessionSnapshot snapshot, SessionLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var state = new ChatSessionState(snapshot.UserId, limits)
        {
            LastSeq = snapshot.LastSeq,
            AckedSeq = snapshot.AckedSeq,
        };
        state._recent.AddRange(snapshot.RecentOutbound.Cast<ISequencedEvent>().Concat(snapshot.RecentStatuses).Concat(snapshot.RecentInbound).OrderBy(e => e.Seq));
        foreach (var o in snapshot.Outbound)
        {
            state._outbound[o.Accepted.Id] = new OutboundRecord(o.Accepted)
            {
                Status = o.Status,
                Dispatched = o.Dispatched,
                OutcomeUnknown = o.OutcomeUnknown,
                ProviderSid = o.ProviderSid,
            };
        }

        foreach (var clientRef in snapshot.ClientRefs)
        {
            state._clientRefs.Add(clientRef, out _);
        }

        foreach (var record in state._outbound.Values.Where(r => r.Accepted.ClientRef is not null))
        {
            if (state._clientRefs.Contains(record.Accepted.ClientRef!))
            {
                state._idByClientRef[record.Accepted.ClientRef!] = record.Accepted.Id;
            }
        }

        foreach (var sid in snapshot.InboundSids)
        {
            state._inboundSids.Add(sid, out _);
        }

        foreach (var pair in snapshot.OptedOut)
        {
            state._optedOut.Add((pair.Sender, pair.Client));
        }

        foreach (var c in snapshot.Conversations)
        {
            ISequencedEvent? last = (ISequencedEvent?)c.LastOutbound ?? c.LastInbound;
            if (last is null)
            {
                continue;
            }

            state._unread[c.ClientNumber] = new Queue<long>(c.Unread);
            state._conversations[c.ClientNumber] = new ConversationSummary(c.ClientNumber, last, c.Unread.Count, c.LastStatus);
        }

        return state;
    }

    /// <summary>The error code of a send whose provider call ended without an answer.</summary>
    public const string OutcomeUnknownCode = "outcome_unknown";
}

/// <summary>One outbound message and how far it got.</summary>
public sealed class OutboundRecord(OutboundAccepted accepted)
{
    public OutboundAccepted Accepted { get; } = accepted;

    public MessageStatus Status { get; set; } = accepted.Status;

    /// <summary>The provider call was started (a <see cref="DispatchStarted"/> is stored).</summary>
    public bool Dispatched { get; set; }

    /// <summary>The provider call ended without an answer; a later provider report may still move it forward.</summary>
    public bool OutcomeUnknown { get; set; }

    public string? ProviderSid { get; set; }

    /// <summary>Stored, and no answer from the provider is stored: not accepted, refused, or given up as unknown.</summary>
    public bool AwaitsAnswer => Status == MessageStatus.Queued && !OutcomeUnknown && ProviderSid is null;
}

/// <summary>One client number's thread: its newest event and how many inbound messages are unread.</summary>
public sealed record ConversationSummary(string ClientNumber, ISequencedEvent LastEvent, int UnreadCount, MessageStatus? LastStatus);

/// <summary>How much a session remembers in memory; the journal keeps everything.</summary>
public sealed record SessionLimits(int CachedEvents, int RememberedClientRefs, int RememberedProviderSids, int RememberedOutbound)
{
    public static readonly SessionLimits Default = new(10_000, 10_000, 10_000, 10_000);
}
