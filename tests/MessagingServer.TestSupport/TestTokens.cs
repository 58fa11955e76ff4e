using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MessagingServer.TestSupport;

/// <summary>
/// Access tokens for test servers, good and bad, made by hand (not by the server's own code, so a bug there
/// cannot make its tests agree with it). Every test server signs with <see cref="SigningKey"/> unless told otherwise.
/// </summary>
public static class TestTokens
{
    /// <summary>The signing key every test server uses unless a test sets <c>Auth:SigningKey</c>.</summary>
    public const string SigningKey = "messaging-server-end-to-end-tests-signing-key-0123456789";

    public const string OtherKey = "a-different-key-that-this-server-has-never-seen-0123456789";

    /// <summary>A valid token for <paramref name="userId"/>, for a server with the test key (in this process or another).</summary>
    public static string For(string userId) => Create(userId, expires: DateTime.UtcNow.AddHours(1));

    public static string Create(
        string subject,
        string key = SigningKey,
        string algorithm = SecurityAlgorithms.HmacSha256,
        DateTime? expires = null,
        bool withExpiry = true,
        string issuer = "messaging-server",
        string audience = "messaging-server")
    {
        var now = DateTime.UtcNow;
        var exp = expires ?? now.AddMinutes(10);
        var issuedAt = exp < now ? exp.AddMinutes(-5) : now;
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object> { [JwtRegisteredClaimNames.Sub] = subject },
            Issuer = issuer,
            Audience = audience,
            IssuedAt = issuedAt,
            NotBefore = issuedAt,
            Expires = withExpiry ? exp : null,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), algorithm),
        });
    }

    /// <summary>A signed token whose <c>exp</c> is the raw number given (seconds since 1970), even one no date can hold.</summary>
    public static string WithRawExpiry(string subject, long expSeconds, string key = SigningKey)
    {
        var payload = $$"""{"sub":"{{subject}}","iss":"messaging-server","aud":"messaging-server","exp":{{expSeconds}}}""";
        return new JsonWebTokenHandler().CreateToken(
            payload,
            new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256));
    }

    /// <summary>An unsigned token (<c>alg: none</c>) with otherwise valid claims.</summary>
    public static string Unsigned(string subject)
    {
        var exp = DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds();
        var header = Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""");
        var payload = Base64UrlEncoder.Encode(
            $$"""{"sub":"{{subject}}","iss":"messaging-server","aud":"messaging-server","exp":{{exp}}}""");
        return $"{header}.{payload}.";
    }

    /// <summary>Every kind of token the server must refuse with 401, by name, for <c>alice</c>.</summary>
    public static string? Bad(string kind) => kind switch
    {
        "missing" => null,
        "garbage" => "not-a-jwt-at-all",
        "expired" => Create("alice", expires: DateTime.UtcNow.AddMinutes(-10)),
        "other_key" => Create("alice", key: OtherKey),
        "alg_none" => Unsigned("alice"),
        "other_algorithm" => Create("alice", algorithm: SecurityAlgorithms.HmacSha384),
        "no_expiry" => Create("alice", withExpiry: false),
        "other_issuer" => Create("alice", issuer: "someone-else"),
        "other_audience" => Create("alice", audience: "someone-else"),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The kinds of <see cref="Bad"/>, as rows for xunit's <c>[MemberData]</c>.</summary>
    public static IEnumerable<object[]> BadKinds =>
        new[] { "missing", "garbage", "expired", "other_key", "alg_none", "other_algorithm", "no_expiry", "other_issuer", "other_audience" }
            .Select(kind => new object[] { kind });
}
