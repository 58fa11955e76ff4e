using MessagingServer.Domain.Messages;

namespace MessagingServer.Domain.Sessions;

/// <summary>
/// One page of one conversation, picked from a user's events as they come, oldest first: the <see cref="Limit"/>
/// events of <see cref="ClientNumber"/> with the highest seq below <see cref="Before"/>. A conversation's events are
/// the messages from the client, the outbound messages to it, and the status events of those outbound messages.
/// It may be fed a window of the stream (the events from some seq on) rather than all of it: <see cref="IsWhole"/>
/// says whether that window was enough, or an older start must be read again.
/// </summary>
public sealed class ConversationPage
{
    private readonly HashSet<string> _outboundIds = new(StringComparer.Ordinal);
    private readonly HashSet<string> _otherOutboundIds = new(StringComparer.Ordinal);

    /// <summary>The newest status event whose outbound message was not in the events given (it is older than the window).</summary>
    private long _newestOrphan;
    private readonly Queue<ISequencedEvent> _newest;

    public ConversationPage(string clientNumber, long before, int limit)
    {
        ArgumentNullException.ThrowIfNull(clientNumber);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ClientNumber = clientNumber;
        Before = before;
        Limit = limit;
        _newest = new Queue<ISequencedEvent>(Math.Min(limit, 256));
    }

    public string ClientNumber { get; }

    public long Before { get; }

    public int Limit { get; }

    /// <summary>False once an event at or beyond <see cref="Before"/> came: nothing later can be on the page.</summary>
    public bool WantsMore { get; private set; } = true;

    /// <summary>Takes the next event of the user's stream (in seq order); keeps it when it belongs to the page.</summary>
    public void Add(ISequencedEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.Seq >= Before)
        {
            WantsMore = false;
            return;
        }

        if (!Belongs(e))
        {
            return;
        }

        if (_newest.Count == Limit)
        {
            _newest.Dequeue();
        }

        _newest.Enqueue(e);
    }

    /// <summary>
    /// Whether the events given, from seq <paramref name="windowStart"/> on, decide the page: the window starts at the
    /// stream's start, or the page is full and no status event newer than its oldest event has an outbound message
    /// older than the window (which could be this conversation's and belong on the page).
    /// </summary>
    public bool IsWhole(long windowStart) =>
        windowStart <= 1 || (_newest.Count == Limit && _newestOrphan < _newest.Peek().Seq);

    /// <summary>The page, newest first: the last event's seq is the <c>before</c> of the next (older) page.</summary>
    public IReadOnlyList<ISequencedEvent> NewestFirst() => [.. _newest.Reverse()];

    private bool Belongs(ISequencedEvent e)
    {
        switch (e)
        {
            case InboundReceived m:
                return m.From == ClientNumber;
            case OutboundAccepted o when o.To == ClientNumber:
                _outboundIds.Add(o.Id);
                return true;
            case OutboundAccepted other:
                _otherOutboundIds.Add(other.Id);
                return false;
            case OutboundStatusChanged s when _outboundIds.Contains(s.Id):
                return true;
            case OutboundStatusChanged orphan when !_otherOutboundIds.Contains(orphan.Id):
                _newestOrphan = Math.Max(_newestOrphan, orphan.Seq);
                return false;
            default:
                return false;
        }
    }
}
