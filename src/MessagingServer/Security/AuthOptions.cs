namespace MessagingServer.Security;

/// <summary>How access tokens are signed and checked, bound from the <c>Auth</c> section.</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";
    public const string DefaultIssuer = "messaging-server";
    public const int MinimumKeyBytes = 32;

    /// <summary>The HS256 secret, as a UTF-8 string of at least <see cref="MinimumKeyBytes"/> bytes.</summary>
    public string? SigningKey { get; set; }

    /// <summary>The <c>iss</c> that tokens carry and that the server requires.</summary>
    public string Issuer { get; set; } = DefaultIssuer;

    /// <summary>The <c>aud</c> that tokens carry and that the server requires.</summary>
    public string Audience { get; set; } = DefaultIssuer;

    /// <summary>Browser origins (<c>https://app.example.com</c>) allowed to open sockets besides the server's own.</summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>Tolerance for clocks that disagree when checking <c>exp</c> and <c>nbf</c>.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>True when the built-in Development key is in use (only ever in Development).</summary>
    public bool UsesDevelopmentKey => string.Equals(SigningKey, DevelopmentSigningKey.Value, StringComparison.Ordinal);
}
