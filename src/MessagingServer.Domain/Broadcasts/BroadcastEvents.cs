using MessagingServer.Domain.Messages;

namespace MessagingServer.Domain.Broadcasts;

/// <summary>
/// What a broadcast stores (in its own journal, not the user's stream). Stored as they are: add optional members
/// only, never rename or remove one.
/// </summary>
public interface IBroadcastEvent : IStoredState;

/// <summary>The broadcast exists: its body, media and how many recipients arrive in how many parts.</summary>
public sealed record BroadcastCreated(
    string Id, string UserId, string Body, IReadOnlyList<string> Media, string? ClientRef, int Total, int Parts, DateTimeOffset At) : IBroadcastEvent;

/// <summary>One part of the recipient list (parts keep every message and journal row small), in order.</summary>
public sealed record BroadcastRecipientsAdded(int Part, IReadOnlyList<string> Numbers) : IBroadcastEvent;

/// <summary>The recipient at <see cref="Index"/> is done with, once and for all: its SMS was stored, it was skipped, or it failed.</summary>
public sealed record BroadcastRecipientSettled(int Index, BroadcastOutcome Outcome, DateTimeOffset At) : IBroadcastEvent;

/// <summary>
/// Cancelled: every recipient not yet handed to the session is cancelled. <see cref="InFlight"/> were handed and
/// may have been stored: they are still settled (asked again after a restart, under the same clientRef).
/// </summary>
public sealed record BroadcastCancelled(IReadOnlyList<int> InFlight, DateTimeOffset At) : IBroadcastEvent;

/// <summary>How one recipient ended.</summary>
public enum BroadcastOutcome
{
    /// <summary>Stored as an ordinary outbound message of the user (its delivery is that message's status).</summary>
    Sent,

    /// <summary>The session refused the send for good (nothing stored, nothing sent).</summary>
    Failed,

    /// <summary>The recipient opted out of the user's sender number: never sent.</summary>
    Skipped,
}

/// <summary>Finished, and its final progress is stored in the user's stream: nothing more to do or to report.</summary>
public sealed record BroadcastClosed(DateTimeOffset At) : IBroadcastEvent;
