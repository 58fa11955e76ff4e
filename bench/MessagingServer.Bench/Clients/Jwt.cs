using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace MessagingServer.Bench.Clients;

/// <summary>
/// HS256 access tokens as the server accepts them once authentication is in (docs: <c>sub</c> = user,
/// <c>iss</c>/<c>aud</c> = messaging-server, <c>exp</c>). A server without authentication ignores them.
/// </summary>
public sealed class Jwt(string signingKey, TimeSpan lifetime)
{
    public const string Issuer = "messaging-server";

    public string SigningKey { get; } = signingKey;

    public static Jwt Random(TimeSpan lifetime) => new(RandomNumberGenerator.GetHexString(64, lowercase: true), lifetime);

    public string For(string userId)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = Base64Url("""{"alg":"HS256","typ":"JWT"}"""u8);
        var payload = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["sub"] = userId,
            ["iss"] = Issuer,
            ["aud"] = Issuer,
            ["iat"] = now,
            ["nbf"] = now - 60,
            ["exp"] = now + (long)lifetime.TotalSeconds,
        }));
        var signature = Base64Url(HMACSHA256.HashData(Encoding.UTF8.GetBytes(SigningKey), Encoding.ASCII.GetBytes($"{header}.{payload}")));
        return $"{header}.{payload}.{signature}";
    }

    private static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
