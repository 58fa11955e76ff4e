namespace MessagingServer.Routing;

/// <summary>
/// Which user owns which number (<c>Routing:Numbers</c>: <c>{"+15550002222": "alice"}</c>), and where an
/// inbound SMS goes when nothing else claims it.
/// </summary>
public sealed class RoutingOptions
{
    public const string Section = "Routing";

    public Dictionary<string, string> Numbers { get; set; } = new(StringComparer.Ordinal);

    public string FallbackUser { get; set; } = "operator";

    /// <summary>The sender number for users who own none (the loopback provider's, or Twilio's <c>From</c>).</summary>
    public string DefaultFrom { get; set; } = "+15550000000";
}
