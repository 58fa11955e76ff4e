using Akka.Actor;
using MessagingServer.Domain.Messages;
using MessagingServer.Domain.Protocol;
using MessagingServer.Sms;

namespace MessagingServer.Sessions;

/// <summary>Every message for a session carries its user, so a registry or a shard region can route it.</summary>
public interface IWithUserId
{
    string UserId { get; }
}

/// <summary>Messages handled by <see cref="ChatSessionActor"/>, reached through the registry.</summary>
public static class ChatSessionCommands
{
    /// <summary>
    /// A subscriber joins (a node's <see cref="UserHub"/>, or in tests any actor). The session subscribes it and
    /// tells it the welcome (unless <paramref name="SendWelcome"/> is false) and the missed events as one
    /// <see cref="FrameBatch"/>, then every later event as a <see cref="ServerFrame"/>; the reply,
    /// <see cref="Connected"/>, says where that started. With <paramref name="Socket"/> set the batch is for that
    /// one socket behind the subscriber, sent as a <see cref="ReplayFor"/>. <paramref name="Since"/> overrides the
    /// acked cursor. When the device is further behind than the session's memory, nothing is sent and nothing
    /// subscribed: the reply says which events to read from the journal first, and the socket connects again after them.
    /// </summary>
    public sealed record Connect(string UserId, long? Since, IActorRef Subscriber, bool SendWelcome = true, IActorRef? Socket = null) : IWithUserId;

    /// <summary>A subscriber leaves; with <paramref name="Socket"/> set, only that socket behind it.</summary>
    public sealed record Disconnect(string UserId, IActorRef Subscriber, IActorRef? Socket = null) : IWithUserId;

    /// <summary>Send an SMS (an MMS with <paramref name="Media"/>); the reply is a <see cref="SendResult"/>.</summary>
    public sealed record Send(
        string UserId, string To, string Body, string? ClientRef, string? CorrelationId = null, IReadOnlyList<string>? Media = null) : IWithUserId;

    /// <summary>Move the user's cursor; the reply is an <see cref="AckResult"/>.</summary>
    public sealed record Ack(string UserId, long Seq) : IWithUserId;

    /// <summary>An inbound SMS routed to this user; the reply is an <see cref="IngressResult"/> once stored.</summary>
    public sealed record DeliverInbound(string UserId, InboundSms Sms) : IWithUserId;

    /// <summary>A delivery report; the reply is an <see cref="IngressResult"/>.</summary>
    public sealed record DeliverStatus(string UserId, StatusReport Report) : IWithUserId;

    /// <summary>
    /// The stored events after <paramref name="Since"/>; the reply is a <see cref="History"/>, with fewer than
    /// <paramref name="Limit"/> events when more would not fit in one remote message (ask again from the last one:
    /// <see cref="HistoryPages"/>).
    /// </summary>
    public sealed record GetHistory(string UserId, long Since, int Limit) : IWithUserId;

    /// <summary>
    /// One row per client number whose last event is older than <paramref name="Before"/>, newest first; the reply is
    /// a <see cref="ConversationList"/> of as many as fit in one remote message (ask again before the last one).
    /// </summary>
    public sealed record GetConversations(string UserId, long Before = long.MaxValue) : IWithUserId;

    /// <summary>How many sockets the session feeds (on every node); the reply is a <see cref="SessionInfo"/>.</summary>
    public sealed record GetSessionInfo(string UserId) : IWithUserId;

    /// <summary>
    /// From the wake index after a restart or a node loss: start the session if it is not running, so that its sends
    /// that never reached the provider go out and its lookups carry on without waiting for the user. Never answered.
    /// </summary>
    public sealed record WakeSession(string UserId) : IWithUserId;
}

/// <summary>
/// Reply to <see cref="ChatSessionCommands.Connect"/>. Events from <see cref="ReplayFrom"/> to <see cref="ReplayTo"/> are
/// on their way to the subscriber, then live ones. When <see cref="JournalBefore"/> is set the socket was not subscribed:
/// the events from <see cref="ReplayFrom"/> up to (not including) it are older than the session's memory, to be read
/// from the journal before connecting again from there.
/// </summary>
public sealed record Connected(ServerFrame Welcome, long ReplayFrom, long ReplayTo, long JournalBefore = 0);

/// <summary>
/// Frames for one socket, in order: the welcome and the events a socket missed. A long replay comes as several
/// batches in a row, each small enough for one remote message (see <c>FrameBatchChunks</c>).
/// </summary>
public sealed record FrameBatch(IReadOnlyList<ServerFrame> Frames);

/// <summary>
/// To a subscriber, for one <paramref name="Socket"/> behind it: what that socket missed, every event up to
/// <paramref name="UpTo"/>; every later event reaches the subscriber live after this message. A long replay
/// comes as several of these in a row, all with the same <paramref name="UpTo"/>: live events follow the last one.
/// </summary>
public sealed record ReplayFor(IActorRef Socket, FrameBatch Batch, long UpTo);

/// <summary>The session has stopped; sockets it fed should close (1012) and reconnect.</summary>
public sealed record SessionEnded(string Reason)
{
    public static readonly SessionEnded Restarting = new("session restarting");
}

public abstract record SendResult
{
    /// <summary>Stored. <see cref="Duplicate"/> when the clientRef was seen before: <see cref="Frame"/> is the first outbound event.</summary>
    public sealed record Accepted(string Id, long Seq, bool Duplicate, ServerFrame Frame) : SendResult;

    public sealed record Rejected(string Code, string Message, string? ClientRef) : SendResult;
}

public sealed record AckResult(bool Accepted, long Cursor, string? Error = null);

/// <summary>
/// Reply to <see cref="ChatSessionCommands.GetHistory"/>: the events from memory, or, when <see cref="FromJournal"/>,
/// none, because the page starts before the session's memory: the caller reads it from the journal
/// (<see cref="StoredEvents"/>), up to <see cref="LastSeq"/>.
/// </summary>
public sealed record History(IReadOnlyList<ISequencedEvent> Events, long LastSeq, long AckedSeq, bool FromJournal = false);

/// <summary>Reply to <see cref="ChatSessionCommands.GetConversations"/>; <see cref="Complete"/> when no older row is left.</summary>
public sealed record ConversationList(IReadOnlyList<Domain.Sessions.ConversationSummary> Conversations, bool Complete = true);

public sealed record SessionInfo(string UserId, int Subscribers, long LastSeq, long AckedSeq);
