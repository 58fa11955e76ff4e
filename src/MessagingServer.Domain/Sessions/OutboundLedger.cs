using MessagingServer.Domain.Messages;

namespace MessagingServer.Domain.Sessions;

/// <summary>
/// A session's outbound messages and how far each got, and the clientRefs it remembers for dedup. Sends that are not
/// final are always kept; final ones beyond <see cref="SessionLimits.RememberedOutbound"/> are forgotten (the journal
/// keeps them). A clientRef outlives its send in memory: it remembers the seq of its first send, which is then read
/// back from the journal to answer a repeat.
/// </summary>
internal sealed class OutboundLedger(SessionLimits limits)
{
    private readonly Dictionary<string, OutboundRecord> _records = new(StringComparer.Ordinal);
    private readonly Dictionary<long, OutboundRecord> _bySeq = [];
    private readonly KeyWindow _clientRefs = new(limits.RememberedClientRefs, limits.DedupRetention);
    private readonly int _trimSlack = Math.Max(1, limits.RememberedOutbound / 4);
    private int _trimAt = limits.RememberedOutbound + Math.Max(1, limits.RememberedOutbound / 4);

    public int Count => _records.Count;

    /// <summary>Whether a remembered send matches, in no particular order (no sort).</summary>
    public bool Any(Func<OutboundRecord, bool> match) => _records.Values.Any(match);

    /// <summary>Every remembered send, oldest first.</summary>
    public IEnumerable<OutboundRecord> InOrder => _records.Values.OrderBy(r => r.Accepted.Seq);

    public IEnumerable<KeyWindow.Entry> ClientRefsInOrder => _clientRefs.InOrder;

    public OutboundRecord? Find(string id) => _records.GetValueOrDefault(id);

    /// <summary>The first send under <paramref name="clientRef"/>, when it is remembered and still in memory.</summary>
    public OutboundAccepted? FindByClientRef(string clientRef) => Lookup(clientRef).InMemory;

    /// <summary>
    /// Where the first send under <paramref name="clientRef"/> is: in memory, or (no longer in memory) stored at
    /// <c>StoredSeq</c>; both null when the clientRef is not remembered. One hash of the clientRef either way.
    /// </summary>
    public (OutboundAccepted? InMemory, long? StoredSeq) Lookup(string clientRef)
    {
        if (!_clientRefs.TryGet(clientRef, out var seq))
        {
            return (null, null);
        }

        if (!_bySeq.TryGetValue(seq, out var record))
        {
            return (null, seq);
        }

        return (record.Accepted.ClientRef == clientRef ? record.Accepted : null, null);
    }

    public void Add(OutboundAccepted accepted)
    {
        var record = new OutboundRecord(accepted);
        _records[accepted.Id] = record;
        _bySeq[accepted.Seq] = record;
        if (accepted.ClientRef is not null)
        {
            _clientRefs.Add(accepted.ClientRef, accepted.Seq, accepted.At);
        }

        Trim();
    }

    /// <summary>
    /// Puts back a snapshot's sends and clientRef window. A snapshot written before the window was compact lists the
    /// clientRefs as text: those whose send it holds are kept, with that send's seq and time.
    /// </summary>
    public void Restore(IEnumerable<OutboundSnapshot> sends, IEnumerable<KeyWindow.Entry> window, IEnumerable<string> legacyClientRefs)
    {
        foreach (var o in sends)
        {
            var record = new OutboundRecord(o.Accepted)
            {
                Status = o.Status,
                Dispatched = o.Dispatched,
                OutcomeUnknown = o.OutcomeUnknown,
                ProviderSid = o.ProviderSid,
                Reconciling = o.Reconciling,
            };
            _records[o.Accepted.Id] = record;
            _bySeq[o.Accepted.Seq] = record;
        }

        foreach (var entry in window)
        {
            _clientRefs.Add(entry);
        }

        var byRef = _records.Values.Where(r => r.Accepted.ClientRef is not null).ToDictionary(r => r.Accepted.ClientRef!, StringComparer.Ordinal);
        foreach (var clientRef in legacyClientRefs)
        {
            if (byRef.TryGetValue(clientRef, out var record))
            {
                _clientRefs.Add(clientRef, record.Accepted.Seq, record.Accepted.At);
            }
        }

        Trim();
    }

    /// <summary>
    /// Forgets final sends beyond the remembered number, oldest first; the others are always kept. Done in steps (when
    /// the records have grown by a quarter of the limit) so that many sends waiting for their sender cost no sort per send.
    /// </summary>
    private void Trim()
    {
        if (_records.Count < _trimAt)
        {
            return;
        }

        var final = _records.Values.Where(r => r.Status.IsFinal()).OrderBy(r => r.Accepted.Seq).ToList();
        foreach (var old in final.Take(final.Count - limits.RememberedOutbound))
        {
            _records.Remove(old.Accepted.Id);
            _bySeq.Remove(old.Accepted.Seq);
        }

        _trimAt = _records.Count + _trimSlack;
    }
}
