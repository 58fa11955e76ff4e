namespace MessagingServer.Bench.Baselines;

/// <summary>The same <c>Twilio</c> section the server reads, so both are configured by the same variables.</summary>
public sealed class ProviderSettings
{
    public const string Section = "Twilio";

    public string AccountSid { get; set; } = "";

    public string AuthToken { get; set; } = "";

    public string From { get; set; } = "+15550000000";

    public string ApiBaseUrl { get; set; } = "";

    /// <summary>This process's own address as the provider calls it back.</summary>
    public string WebhookBaseUrl { get; set; } = "";
}

/// <summary><c>Routing:Numbers</c> (number → user), the same variables the server reads.</summary>
public sealed class Routing(IConfiguration configuration)
{
    private readonly Dictionary<string, string> _owners = configuration.GetSection("Routing:Numbers").GetChildren()
        .Where(c => c.Value is not null)
        .ToDictionary(c => c.Key, c => c.Value!, StringComparer.Ordinal);

    public string UserFor(string to) => _owners.GetValueOrDefault(to) ?? "operator";
}
