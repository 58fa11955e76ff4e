using MessagingServer.Domain;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MessagingServer.Security;

/// <summary>Mints HS256 access tokens the server accepts: <c>sub</c> = the user, <c>iss</c>, <c>aud</c>, <c>iat</c>, <c>nbf</c>, <c>exp</c>.</summary>
public sealed class TokenIssuer(IOptions<AuthOptions> options, TimeProvider time)
{
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(1);

    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    public string Issue(UserId userId, TimeSpan? lifetime = null)
    {
        var span = lifetime ?? DefaultLifetime;
        if (span <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(lifetime), span, "A token must live for some time");
        }

        var settings = options.Value;
        var now = time.GetUtcNow().UtcDateTime;
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object> { [JwtRegisteredClaimNames.Sub] = userId.Value },
            Issuer = settings.Issuer,
            Audience = settings.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + span,
            SigningCredentials = new SigningCredentials(JwtBearerOptionsSetup.SigningKey(settings), SecurityAlgorithms.HmacSha256),
        });
    }
}
