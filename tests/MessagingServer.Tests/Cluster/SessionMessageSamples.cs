using Akka.Actor;
using MessagingServer.Domain.Messages;
using MessagingServer.Domain.Protocol;
using MessagingServer.Domain.Sessions;
using MessagingServer.Senders;
using MessagingServer.Sessions;
using MessagingServer.Sms;
using static MessagingServer.Sessions.ChatSessionCommands;

namespace MessagingServer.Tests.Cluster;

/// <summary>One message of every type sent to or from a session, with every optional member set.</summary>
internal static class SessionMessageSamples
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 21, 30, 15, 123, TimeSpan.FromHours(1));

    public static readonly OutboundAccepted Outbound = new(7, "m-out", "ref-1", "+15550000001", "+15550001111", "héllo ✓ \"quoted\"", At, MessageStatus.Queued, "UCS-2", 1);

    public static readonly OutboundStatusChanged Status = new(8, "m-out", MessageStatus.Failed, new ProviderError("21610", "opted out"), At, "SM123");

    public static readonly InboundReceived Inbound = new(9, "m-in", "+15550001111", "+15550000001", "reply", ["https://media.example/1.jpg", "https://media.example/2.jpg"], At, "SM456");

    public static ServerFrame Frame(long seq) => new(seq, System.Text.Encoding.UTF8.GetBytes($$"""{"type":"message","seq":{{seq}},"body":"é ✓"}"""));

    /// <summary>Every sample; <paramref name="subscriber"/> and <paramref name="socket"/> stand for actor refs of any node.</summary>
    public static IEnumerable<object> All(IActorRef subscriber, IActorRef socket) =>
    [
        new Connect("u1", 41, subscriber, SendWelcome: false, Socket: socket),
        new Connect("u1", null, subscriber),
        new Disconnect("u1", subscriber),
        new Disconnect("u1", subscriber, socket),
        new Send("u1", "+15550001111", "hi ✓", "ref-1", "corr-1"),
        new Send("u1", "+15550001111", "hi", null),
        new Ack("u1", 42),
        new DeliverInbound("u1", new InboundSms("+15550001111", "+15550000001", "STOP", ["https://media.example/1.jpg"], "SM1", "corr-2")),
        new DeliverStatus("u1", new StatusReport("u1", "m-out", MessageStatus.Undelivered, new ProviderError("30003", "unreachable"), "SM2", "corr-3")),
        new DeliverStatus("u1", new StatusReport("u1", "m-out", MessageStatus.Delivered, null, null)),
        new GetHistory("u1", 10, 500),
        new GetConversations("u1"),
        new GetSessionInfo("u1"),
        new WakeSession("u1"),
        ChatSessionActor.StopSession.Instance,
        new Connected(Frame(0), 3, 9, JournalBefore: 5),
        Frame(12),
        new FrameBatch([Frame(0), Frame(1), Frame(2)]),
        new ReplayFor(socket, new FrameBatch([Frame(3), Frame(4)]), 4),
        new SessionEnded("session stopped"),
        new SendResult.Accepted("m-out", 7, Duplicate: true, Frame(7)),
        new SendResult.Rejected(ErrorCodes.OptedOut, "opted out", "ref-1"),
        new SendResult.Rejected(ErrorCodes.Unavailable, "storage is unavailable", null),
        new AckResult(false, 40, "seq 99 is beyond the last event (42)"),
        new AckResult(true, 42),
        new History([Outbound, Status, Inbound], 9, 6),
        new ConversationList([new ConversationSummary("+15550001111", Inbound, 2, MessageStatus.Delivered), new ConversationSummary("+15550002222", Outbound, 0, null)]),
        new SessionInfo("u1", 3, 42, 40),
        IngressResult.Stored,
        IngressResult.Ignored,
        IngressResult.Unavailable,
        new DispatchSms("+15550000001", "u1", "m-out", "+15550001111", "hi ✓", "corr-1", OutcomeOnly: true),
        new DispatchSms("MG0123456789abcdef0123456789abcdef", "u1", "m-out", "+15550001111", "hi", null),
        new StartCall("u1", "+15550000001", "m-out"),
        new CallCleared("+15550000001", "m-out", Go: true),
        new DispatchResult("u1", "m-out", DispatchResultKind.Accepted, "SM123", MessageStatus.Sent),
        new DispatchResult("u1", "m-out", DispatchResultKind.Rejected, Error: new ProviderError("21610", "opted out"), RecipientOptedOut: true),
        new DispatchResult("u1", "m-out", DispatchResultKind.Unknown, Error: new ProviderError("provider_error", "timeout")),
        SenderActor.StopSender.Instance,
    ];
}
