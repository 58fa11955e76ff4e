namespace MessagingServer.Domain.Messages;

/// <summary>Delivery progress of an outbound message, as the user sees it.</summary>
public enum MessageStatus
{
    Queued,
    Sent,
    Delivered,
    Undelivered,
    Failed,
}

public static class MessageStatusExtensions
{
    /// <summary>The wire name: <c>queued</c>, <c>sent</c>, <c>delivered</c>, <c>undelivered</c>, <c>failed</c>.</summary>
    public static string ToWire(this MessageStatus status) => status switch
    {
        MessageStatus.Queued => "queued",
        MessageStatus.Sent => "sent",
        MessageStatus.Delivered => "delivered",
        MessageStatus.Undelivered => "undelivered",
        MessageStatus.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static bool TryParseWire(string? text, out MessageStatus status)
    {
        switch (text)
        {
            case "queued" or "accepted" or "scheduled":
                status = MessageStatus.Queued;
                return true;
            case "sending" or "sent":
                status = MessageStatus.Sent;
                return true;
            case "delivered" or "read":
                status = MessageStatus.Delivered;
                return true;
            case "undelivered":
                status = MessageStatus.Undelivered;
                return true;
            case "failed" or "canceled":
                status = MessageStatus.Failed;
                return true;
            default:
                status = default;
                return false;
        }
    }

    public static bool IsFinal(this MessageStatus status) => Rank(status) == 2;

    /// <summary>
    /// Status only moves forward: queued → sent → one of delivered / undelivered / failed.
    /// A late <c>sent</c> never overwrites <c>delivered</c>, and a final status never changes.
    /// </summary>
    public static bool CanMoveTo(this MessageStatus current, MessageStatus next) => Rank(next) > Rank(current);

    private static int Rank(MessageStatus status) => status switch
    {
        MessageStatus.Queued => 0,
        MessageStatus.Sent => 1,
        _ => 2,
    };
}
