using MessagingServer.Domain.Broadcasts;
using MessagingServer.Sessions;

namespace MessagingServer.Broadcasts;

/// <summary>Every message for a broadcast names its user and id, so the shard region can route it.</summary>
public interface IWithBroadcast
{
    string UserId { get; }

    string BroadcastId { get; }
}

/// <summary>Messages handled by <see cref="BroadcastActor"/>, reached through its region (<see cref="BroadcastRegistry"/>).</summary>
public static class BroadcastCommands
{
    /// <summary>
    /// One part of a new broadcast's recipients (parts keep every message under the remote frame size); the reply is a
    /// <see cref="BroadcastCreateReply"/>. Sent in order; a part stored already is answered again without storing.
    /// </summary>
    public sealed record CreateBroadcast(
        string UserId,
        string BroadcastId,
        string Body,
        IReadOnlyList<string> Media,
        string? ClientRef,
        int Total,
        int Part,
        int Parts,
        IReadOnlyList<string> Numbers) : IWithBroadcast;

    /// <summary>Where it stands; the reply is a <see cref="BroadcastStatusReply"/>.</summary>
    public sealed record GetBroadcast(string UserId, string BroadcastId) : IWithBroadcast;

    /// <summary>Cancel what has not gone; the reply (once stored) is a <see cref="BroadcastStatusReply"/>.</summary>
    public sealed record CancelBroadcast(string UserId, string BroadcastId) : IWithBroadcast;

    /// <summary>From the index: carry on if unfinished (starting the entity is the point). Never answered.</summary>
    public sealed record ResumeBroadcast(string UserId, string BroadcastId) : IWithBroadcast;
}

/// <summary>
/// Reply to <see cref="BroadcastCommands.CreateBroadcast"/>: <see cref="Stored"/> when the part is stored (now or
/// before); <see cref="Existing"/> when the whole broadcast was there before (a repeated clientRef: send no more parts);
/// neither when the part does not fit the broadcast of that id (another body or size under the same clientRef).
/// </summary>
public sealed record BroadcastCreateReply(bool Stored, bool Existing);

/// <summary>Reply to <see cref="BroadcastCommands.GetBroadcast"/> and <see cref="BroadcastCommands.CancelBroadcast"/>: null when unknown.</summary>
public sealed record BroadcastStatusReply(BroadcastProgress? Progress);

/// <summary>
/// To the user's session: one recipient's SMS, an ordinary send under <see cref="ClientRef"/> (so a repeat is answered
/// with the first), not spent from the user's interactive send budget. The reply is a <see cref="SendResult"/>.
/// <see cref="Media"/> is carried for MMS and passed on once the session's sends take media.
/// </summary>
public sealed record BroadcastSend(string UserId, string To, string Body, IReadOnlyList<string> Media, string ClientRef) : IWithUserId;

/// <summary>To the user's session: store a <c>broadcast</c> event; the reply (once stored) is a <see cref="BroadcastRecorded"/>.</summary>
public sealed record RecordBroadcast(string UserId, BroadcastProgress Progress) : IWithUserId;

/// <summary>Reply to <see cref="RecordBroadcast"/>: the seq it was stored under (0 and not stored when storage failed).</summary>
public sealed record BroadcastRecorded(bool Stored, long Seq);
