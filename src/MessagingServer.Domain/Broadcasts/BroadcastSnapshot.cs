using MessagingServer.Domain.Messages;

namespace MessagingServer.Domain.Broadcasts;

/// <summary>
/// A ready broadcast at one point of its journal, so that recovery reads it and the events after it instead of one
/// event per recipient (a 10,000-recipient broadcast stores over 10,000). Stored as JSON under <see cref="Manifest"/>:
/// add optional members only, never rename or remove one.
/// </summary>
/// <param name="Created">The broadcast's creation, as stored.</param>
/// <param name="Recipients">The distinct recipients in sending order (index <c>i</c> is the clientRef's index).</param>
/// <param name="Outcomes">
/// One character per recipient, by index: <c>-</c> not settled, <c>s</c> sent, <c>f</c> failed, <c>k</c> skipped (a
/// string, not a list, so a 10,000-recipient snapshot stays about 10 KB on top of its numbers).
/// </param>
/// <param name="Cancelled">Cancelled: only <paramref name="PendingAtCancel"/> may still be settled.</param>
/// <param name="PendingAtCancel">Handed before the cancel, not settled yet.</param>
/// <param name="Closed">Finished and its final progress reported.</param>
public sealed record BroadcastSnapshot(
    BroadcastCreated Created,
    IReadOnlyList<string> Recipients,
    string Outcomes,
    bool Cancelled,
    IReadOnlyList<int> PendingAtCancel,
    bool Closed) : IStoredState
{
    public const string Manifest = "broadcast-snapshot.v1";

    public const char Unsettled = '-';

    public static char CodeFor(BroadcastOutcome? outcome) => outcome switch
    {
        BroadcastOutcome.Sent => 's',
        BroadcastOutcome.Failed => 'f',
        BroadcastOutcome.Skipped => 'k',
        _ => Unsettled,
    };

    /// <summary>The outcome a character stands for; anything unknown reads as not settled (asked again, under the same clientRef).</summary>
    public static BroadcastOutcome? OutcomeFor(char code) => code switch
    {
        's' => BroadcastOutcome.Sent,
        'f' => BroadcastOutcome.Failed,
        'k' => BroadcastOutcome.Skipped,
        _ => null,
    };
}
