using MessagingServer.Domain.Messages;

namespace MessagingServer.EndToEnd.Persistence;

/// <summary>One of every stored event, with the awkward cases: nulls, media lists, errors, non-ASCII text, a large body.</summary>
public static class SampleEvents
{
    private static readonly DateTimeOffset At = new(2026, 11, 23, 18, 5, 31, 123, TimeSpan.FromHours(-5));

    public static ISessionEvent[] All(string prefix = "m") =>
    [
        new OutboundAccepted(1, $"{prefix}-1", "ref-1", "+15550000000", "+15550001111", "Hello", At, MessageStatus.Queued, SmsSegments.Gsm7, 1),
        new DispatchStarted($"{prefix}-1", At),
        new OutboundStatusChanged(2, $"{prefix}-1", MessageStatus.Sent, null, At, "SM1"),
        new OutboundStatusChanged(3, $"{prefix}-1", MessageStatus.Undelivered, new ProviderError("30003", "Unreachable handset"), At),
        new InboundReceived(4, $"{prefix}-2", "+15550001111", "+15550000000", "Grüße 👋 你好", ["https://media.example/a.jpg", "https://media.example/b.png"], At, "SM2"),
        new OutboundAccepted(5, $"{prefix}-3", null, "+15550000000", "+15550001111", new string('€', 100_000), At, MessageStatus.Queued, SmsSegments.Gsm7, 1308),
        new CursorAcked(4),
        new ClientOptedOut("+15550000000", "+15550001111", At),
        new ClientOptedIn("+15550000000", "+15550001111", At),
    ];

    public static ISessionEvent Numbered(long seq) =>
        new InboundReceived(seq, $"m-{seq}", "+15550001111", "+15550000000", "Are you open on Sunday?", [], At, $"SM{seq}");
}
