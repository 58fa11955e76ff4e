using System.Globalization;

namespace MessagingServer.EndToEnd.Cluster;

/// <summary>
/// Two nodes whose Twilio pacing is slow enough to measure: <see cref="MessagesPerSecond"/> per sender number, and
/// no user owns a number (no <c>Routing:Numbers</c>), so every user sends from the one default number and all their
/// sends share one pace.
/// </summary>
public sealed class PacedClusterNodes : ClusterNodes
{
    public const int MessagesPerSecond = 10;

    public override int Size => 2;

    protected override void Configure(IDictionary<string, string> environment)
    {
        environment["Twilio__MessagesPerSecond"] = MessagesPerSecond.ToString(CultureInfo.InvariantCulture);
        foreach (var owned in environment.Keys.Where(k => k.StartsWith("Routing__Numbers__", StringComparison.Ordinal)).ToList())
        {
            environment.Remove(owned);
        }
    }
}
