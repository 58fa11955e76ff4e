namespace MessagingServer.Observability;

/// <summary><c>Metrics</c>: who may read <c>/metrics</c>.</summary>
public sealed class MetricsOptions
{
    public const string Section = "Metrics";

    /// <summary>
    /// When set, <c>/metrics</c> answers only requests with <c>Authorization: Bearer {BearerToken}</c> (else 401);
    /// when empty (the default) it is open, as Prometheus expects inside a private network.
    /// </summary>
    public string? BearerToken { get; set; }
}
