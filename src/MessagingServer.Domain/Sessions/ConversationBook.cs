using MessagingServer.Domain.Messages;

namespace MessagingServer.Domain.Sessions;

/// <summary>One client number's thread: its newest event and how many inbound messages are unread.</summary>
public sealed record ConversationSummary(string ClientNumber, ISequencedEvent LastEvent, int UnreadCount, MessageStatus? LastStatus);

/// <summary>A session's threads, one per client number, with the seqs of the inbound messages not acknowledged yet.</summary>
internal sealed class ConversationBook
{
    private readonly Dictionary<string, ConversationSummary> _conversations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Queue<long>> _unread = new(StringComparer.Ordinal);

    public IReadOnlyCollection<ConversationSummary> All => _conversations.Values;

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

    public void StatusChanged(OutboundAccepted sent, MessageStatus status) =>
        _conversations[sent.To] = _conversations.TryGetValue(sent.To, out var c)
            ? c with { LastStatus = status }
            : new ConversationSummary(sent.To, sent, 0, status);

    /// <summary>Everything up to <paramref name="ackedSeq"/> is read.</summary>
    public void Acked(long ackedSeq)
    {
        foreach (var (number, queue) in _unread)
        {
            while (queue.Count > 0 && queue.Peek() <= ackedSeq)
            {
                queue.Dequeue();
            }

            _conversations[number] = _conversations[number] with { UnreadCount = queue.Count };
        }
    }

    public IEnumerable<ConversationSnapshot> ToSnapshot() => _conversations.Values.Select(c => new ConversationSnapshot(
        c.ClientNumber,
        c.LastEvent as OutboundAccepted,
        c.LastEvent as InboundReceived,
        c.LastStatus,
        _unread.TryGetValue(c.ClientNumber, out var q) ? q.ToList() : []));

    public void Restore(IEnumerable<ConversationSnapshot> conversations)
    {
        foreach (var c in conversations)
        {
            ISequencedEvent? last = (ISequencedEvent?)c.LastOutbound ?? c.LastInbound;
            if (last is null)
            {
                continue;
            }

            _unread[c.ClientNumber] = new Queue<long>(c.Unread);
            _conversations[c.ClientNumber] = new ConversationSummary(c.ClientNumber, last, c.Unread.Count, c.LastStatus);
        }
    }

    private void Touch(string clientNumber, ISequencedEvent last)
    {
        var unread = _unread.TryGetValue(clientNumber, out var queue) ? queue.Count : 0;
        var status = last is OutboundAccepted o ? o.Status : (MessageStatus?)null;
        _conversations[clientNumber] = new ConversationSummary(clientNumber, last, unread, status);
    }
}
