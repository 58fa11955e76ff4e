using MessagingServer.Domain.Messages;
using MessagingServer.Persistence;

namespace MessagingServer.Cluster.Serialization;

/// <summary>
/// How many events one remote reply (a <see cref="Sessions.History"/>) may carry: as many as fit in
/// <see cref="MaxBytes"/> of their stored JSON, and always the first one, so a reply stays well under Akka.Remote's
/// maximum frame size (128,000 bytes by default; a bigger message is dropped by the sender) and the asker pages on.
/// </summary>
public static class EventBatchBudget
{
    public const int MaxBytes = 64 * 1024;

    /// <summary>Written around each event in a reply: its manifest and the property names.</summary>
    private const int PerEventOverhead = 48;

    public static List<ISequencedEvent> Take(IEnumerable<ISequencedEvent> events, int maxBytes = MaxBytes) =>
        Take(events, e => e, maxBytes);

    /// <summary>As many items as fit, each weighed by the event it carries (e.g. a conversation's last message).</summary>
    public static List<T> Take<T>(IEnumerable<T> items, Func<T, ISequencedEvent> eventOf, int maxBytes = MaxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        var taken = new List<T>();
        var bytes = 0;
        foreach (var e in items)
        {
            var size = SequencedEventConverter.SessionEvents.Serialize(eventOf(e)).Length + PerEventOverhead;
            if (taken.Count > 0 && bytes + size > maxBytes)
            {
                break;
            }

            taken.Add(e);
            bytes += size;
        }

        return taken;
    }
}
