using MessagingServer.ClientNumbers;
using static MessagingServer.ClientNumbers.ClientNumberCommands;

namespace MessagingServer.Tests.Cluster;

/// <summary>One message of every type sent to or from a client number, with every optional member set and unset.</summary>
internal static class ClientNumberMessageSamples
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 21, 30, 15, 123, TimeSpan.FromHours(1));

    public static IEnumerable<object> All() =>
    [
        new Claim("+15550001111", "alice ✓", At),
        new GetLastWriter("+15550001111"),
        new CheckConsent("+15550001111", "+15550000000"),
        new SetConsent("+15550001111", "+15550000000", OptedOut: true, At),
        new SetConsent("+15550001111", "+15550000000", OptedOut: false, At),
        ClientNumberActor.Stop.Instance,
        new LastWriterReply("+15550001111", "alice"),
        new LastWriterReply("+15550001111", null),
        new ConsentReply("+15550001111", "+15550000000", OptedOut: true),
    ];
}
