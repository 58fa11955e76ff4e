using MessagingServer.Domain.Messages;

namespace MessagingServer.Domain.Sessions;

/// <summary>
/// A session's outbound messages and how far each got, and the clientRefs it remembers for dedup. Pending sends are
/// always kept; final ones beyond <see cref="SessionLimits.RememberedOutbound"/> are forgotten (the journal keeps them).
/// </summary>
internal sealed class OutboundLedger(SessionLimits limits)
{
    private readonly Dictionary<string, OutboundRecord> _records = new(StringComparer.Ordinal);
    private readonly BoundedSet<string> _clientRefs = new(limits.RememberedClientRefs);
    private readonly Dictionary<string, string> _idByClientRef = new(StringComparer.Ordinal);

    public int Count => _records.Count;

    /// <summary>Every remembered send, oldest first.</summary>
    public IEnumerable<OutboundRecord> InOrder => _records.Values.OrderBy(r => r.Accepted.Seq);

    public IEnumerable<string> ClientRefsInOrder => _clientRefs.InOrder;

    public OutboundRecord? Find(string id) => _records.GetValueOrDefault(id);

    public OutboundAccepted? FindByClientRef(string clientRef) =>
        _idByClientRef.TryGetValue(clientRef, out var id) && _records.TryGetValue(id, out var record) ? record.Accepted : null;

    public void Add(OutboundAccepted accepted)
    {
        _records[accepted.Id] = new OutboundRecord(accepted);
        if (accepted.ClientRef is not null)
        {
            if (_clientRefs.Add(accepted.ClientRef, out var forgotten) && forgotten is not null)
            {
                _idByClientRef.Remove(forgotten);
            }

            _idByClientRef[accepted.ClientRef] = accepted.Id;
        }

        Trim();
    }

    /// <summary>Puts back a snapshot's sends and clientRefs (a clientRef maps to its send only while both are remembered).</summary>
    public void Restore(IEnumerable<OutboundSnapshot> sends, IEnumerable<string> clientRefs)
    {
        foreach (var o in sends)
        {
            _records[o.Accepted.Id] = new OutboundRecord(o.Accepted)
            {
                Status = o.Status,
                Dispatched = o.Dispatched,
                OutcomeUnknown = o.OutcomeUnknown,
                ProviderSid = o.ProviderSid,
                Reconciling = o.Reconciling,
            };
        }

        foreach (var clientRef in clientRefs)
        {
            _clientRefs.Add(clientRef, out _);
        }

        foreach (var record in _records.Values.Where(r => r.Accepted.ClientRef is not null))
        {
            if (_clientRefs.Contains(record.Accepted.ClientRef!))
            {
                _idByClientRef[record.Accepted.ClientRef!] = record.Accepted.Id;
            }
        }
    }

    /// <summary>Forget final messages beyond the remembered window; pending ones are always kept.</summary>
    private void Trim()
    {
        if (_records.Count <= limits.RememberedOutbound * 2)
        {
            return;
        }

        foreach (var old in _records.Values.Where(r => r.Status.IsFinal()).OrderBy(r => r.Accepted.Seq)
                     .Take(_records.Count - limits.RememberedOutbound).ToList())
        {
            _records.Remove(old.Accepted.Id);
        }
    }
}
