using MessagingServer.Domain.Messages;

namespace MessagingServer.Domain.Sessions;

/// <summary>One client number's thread: its newest event and how many inbound messages are unread.</summary>
public sealed record ConversationSummary(string ClientNumber, ISequencedEvent LastEvent, int UnreadCount, MessageStatus? LastStatus);

/// <summary>
/// A session's threads, one per client number, with the seqs of the inbound messages not acknowledged yet. At most
/// <c>capacity</c> are kept: past it the least recently active thread with nothing unread is forgotten (its events
/// stay in the journal, and its history endpoint still pages them); a thread with unread messages is never forgotten.
/// </summary>
internal sealed class ConversationBook(int capacity)
{
    private readonly Dictionary<string, (ConversationSummary Summary, LinkedListNode<string> Recency)> _conversations = new(StringComparer.Ordinal);
    private readonly LinkedList<string> _byRecency = new();
    private readonly Dictionary<string, Queue<long>> _unread = new(StringComparer.Ordinal);

    public IEnumerable<ConversationSummary> All => _conversations.Values.Select(c => c.Summary);

    public int Count => _conversations.Count;

    public void Sent(OutboundAccepted o) => Touch(o.To, o);

    public void Received(InboundReceived m, long ackedSeq)
    {
        if (m.Seq > ackedSeq)
        {
            if (!_unread.TryGetValue(m.From, out var queue))
            {
                _unread[m.From] = queue = new Queue<long>();
            }

            queue.Enqueue(m.Seq);
        }

        Touch(m.From, m);
    }

    public void StatusChanged(OutboundAccepted sent, MessageStatus status)
    {
        if (_conversations.TryGetValue(sent.To, out var c))
        {
            _conversations[sent.To] = (c.Summary with { LastStatus = status }, c.Recency);
        }
        else
        {
            Put(new ConversationSummary(sent.To, sent, 0, status));
        }
    }

    /// <summary>Everything up to <paramref name="ackedSeq"/> is read; only threads with unread messages are visited.</summary>
    public void Acked(long ackedSeq)
    {
        List<string>? read = null;
        foreach (var (number, queue) in _unread)
        {
            var before = queue.Count;
            while (queue.Count > 0 && queue.Peek() <= ackedSeq)
            {
                queue.Dequeue();
            }

            if (queue.Count == 0)
            {
                (read ??= []).Add(number);
            }

            if (queue.Count != before && _conversations.TryGetValue(number, out var c))
            {
                _conversations[number] = (c.Summary with { UnreadCount = queue.Count }, c.Recency);
            }
        }

        foreach (var number in read ?? [])
        {
            _unread.Remove(number);
        }
    }

    public IEnumerable<ConversationSnapshot> ToSnapshot() => _byRecency.Select(number => _conversations[number].Summary).Select(c => new ConversationSnapshot(
        c.ClientNumber,
        c.LastEvent as OutboundAccepted,
        c.LastEvent as InboundReceived,
        c.LastStatus,
        _unread.TryGetValue(c.ClientNumber, out var q) ? q.ToList() : []));

    public void Restore(IEnumerable<ConversationSnapshot> conversations)
    {
        // Oldest activity first, so the recency order (and what is forgotten first) is rebuilt as it was.
        foreach (var c in conversations.OrderBy(c => ((ISequencedEvent?)c.LastOutbound ?? c.LastInbound)?.Seq ?? 0))
        {
            ISequencedEvent? last = (ISequencedEvent?)c.LastOutbound ?? c.LastInbound;
            if (last is null)
            {
                continue;
            }

            if (c.Unread.Count > 0)
            {
                _unread[c.ClientNumber] = new Queue<long>(c.Unread);
            }

            Put(new ConversationSummary(c.ClientNumber, last, c.Unread.Count, c.LastStatus));
        }
    }

    private void Touch(string clientNumber, ISequencedEvent last)
    {
        var unread = _unread.TryGetValue(clientNumber, out var queue) ? queue.Count : 0;
        var status = last is OutboundAccepted o ? o.Status : (MessageStatus?)null;
        Put(new ConversationSummary(clientNumber, last, unread, status));
    }

    /// <summary>Stores the thread as the most recently active, then forgets the least recent ones with nothing unread past the capacity.</summary>
    private void Put(ConversationSummary summary)
    {
        if (_conversations.TryGetValue(summary.ClientNumber, out var existing))
        {
            _byRecency.Remove(existing.Recency);
        }

        _conversations[summary.ClientNumber] = (summary, _byRecency.AddLast(summary.ClientNumber));
        for (var node = _byRecency.First; _conversations.Count > capacity && node is not null;)
        {
            var next = node.Next;
            if (!_unread.ContainsKey(node.Value) && node.Value != summary.ClientNumber)
            {
                _conversations.Remove(node.Value);
                _byRecency.Remove(node);
            }

            node = next;
        }
    }
}
