using System.Globalization;
using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace MessagingServer.Security;

/// <summary>
/// When the token that authenticated a request expires, with one rule for the handshake and for the socket it
/// opened: a token is good while <c>now &lt; exp + Auth:ClockSkew</c>. The handshake's lifetime check applies it
/// (JwtBearer's <c>ClockSkew</c>), and <see cref="TokenExpiryWatch"/> closes the socket at that same instant, so
/// a token accepted inside the skew window is not closed at once (which made clients reconnect in a loop).
/// </summary>
public static class TokenExpiry
{
    private static readonly long MaxUnixSeconds = DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    /// <summary>The <c>exp</c> of <paramref name="user"/>, or null when it has none or one no date can hold (past year 9999).</summary>
    public static DateTimeOffset? Of(ClaimsPrincipal? user)
    {
        var exp = user?.FindFirst(JwtRegisteredClaimNames.Exp)?.Value;
        // A JSON number: usually whole seconds, but a fraction is legal (and then ignored).
        return double.TryParse(exp, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0 && seconds <= MaxUnixSeconds
            ? DateTimeOffset.FromUnixTimeSeconds((long)Math.Floor(seconds))
            : null;
    }

    /// <summary>The authenticated user's <c>exp</c>, or null when the request carried no valid token.</summary>
    public static DateTimeOffset? From(HttpContext context) =>
        context.User.Identity?.IsAuthenticated == true ? Of(context.User) : null;

    /// <summary>The instant the token stops being good: <c>exp + skew</c>, never past the last date there is.</summary>
    public static DateTimeOffset GoodUntil(DateTimeOffset expiresAt, TimeSpan skew) =>
        expiresAt > DateTimeOffset.MaxValue - skew ? DateTimeOffset.MaxValue : expiresAt + skew;

    /// <summary>When the request's token stops being good (see <see cref="GoodUntil"/>), or null when it carried none.</summary>
    public static DateTimeOffset? GoodUntil(HttpContext context) =>
        From(context) is { } expiresAt
            ? GoodUntil(expiresAt, context.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value.ClockSkew)
            : null;
}
