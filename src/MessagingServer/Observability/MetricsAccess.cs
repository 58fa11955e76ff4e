using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace MessagingServer.Observability;

/// <summary>
/// The scrape endpoint's own gate: with <see cref="MetricsOptions.BearerToken"/> set, a request without exactly
/// that bearer token gets 401 with <c>WWW-Authenticate: Bearer</c>. The token is compared in constant time.
/// </summary>
internal static class MetricsAccess
{
    public static void RequireToken(IApplicationBuilder scrape) => scrape.Use(async (context, next) =>
    {
        var token = context.RequestServices.GetRequiredService<IOptions<MetricsOptions>>().Value.BearerToken;
        if (string.IsNullOrEmpty(token) || IsAllowed(context.Request.Headers.Authorization.ToString(), token))
        {
            await next(context);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer realm=\"metrics\"";
    });

    /// <summary>True when <paramref name="authorization"/> is <c>Bearer {expected}</c> (the scheme in any case).</summary>
    public static bool IsAllowed(string? authorization, string expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        const string Scheme = "Bearer ";
        if (authorization is null || authorization.Length <= Scheme.Length
            || !authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var given = Encoding.UTF8.GetBytes(authorization[Scheme.Length..].Trim());
        return CryptographicOperations.FixedTimeEquals(given, Encoding.UTF8.GetBytes(expected));
    }
}
