using System.Globalization;
using Microsoft.IdentityModel.JsonWebTokens;

namespace MessagingServer.Security;

/// <summary>When the token that authenticated a request expires (its <c>exp</c>), for closing a socket then.</summary>
public static class TokenExpiry
{
    /// <summary>The authenticated user's <c>exp</c>, or null when the request carried no valid token.</summary>
    public static DateTimeOffset? From(HttpContext context)
    {
        if (context.User.Identity?.IsAuthenticated != true)
        {
            return null;
        }

        var exp = context.User.FindFirst(JwtRegisteredClaimNames.Exp)?.Value;
        return long.TryParse(exp, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;
    }
}
