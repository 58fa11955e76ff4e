using MessagingServer.TestSupport.Twilio;

namespace MessagingServer.EndToEnd.Infrastructure;

/// <summary>The environment of a <see cref="ServerProcess"/> that sends through a <see cref="FakeTwilio"/>.</summary>
public static class FakeTwilioProcessEnvironment
{
    /// <summary>
    /// The fake's <c>Twilio__*</c> settings as environment variables, the SQLite file in <paramref name="folder"/>, and no
    /// interactive send budget in the way (<c>Limits__SendsPerSecond</c> and <c>Limits__SendBurst</c> 1000); the caller
    /// adds the pace (<c>Twilio__MessagesPerSecond</c>) and anything else.
    /// </summary>
    public static Dictionary<string, string> ProcessEnvironment(this FakeTwilio twilio, string folder, string? webhookBaseUrl = null)
    {
        ArgumentNullException.ThrowIfNull(twilio);
        var environment = twilio.ServerSettings(webhookBaseUrl)
            .Where(kv => kv.Value is not null)
            .ToDictionary(kv => kv.Key.Replace(":", "__", StringComparison.Ordinal), kv => kv.Value!);
        environment["Persistence__SqlitePath"] = Path.Combine(folder, "messaging.db");
        environment["Limits__SendsPerSecond"] = "1000";
        environment["Limits__SendBurst"] = "1000";
        return environment;
    }
}
