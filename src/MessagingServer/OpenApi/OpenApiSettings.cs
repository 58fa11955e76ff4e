namespace MessagingServer.OpenApi;

/// <summary>
/// <c>OpenApi:*</c>: whether <c>GET /openapi/v1.json</c> is served. Always in Development; elsewhere only when
/// <see cref="Enabled"/> is true (the document is harmless, but an operator decides what a public server shows).
/// </summary>
public sealed class OpenApiSettings
{
    public const string Section = "OpenApi";

    public const string DocumentPath = "/openapi/{documentName}.json";

    public bool Enabled { get; set; }
}
