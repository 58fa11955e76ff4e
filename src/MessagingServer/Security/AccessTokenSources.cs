using Microsoft.Net.Http.Headers;

namespace MessagingServer.Security;

/// <summary>
/// Where a request's access token is read from: the <c>Authorization: Bearer</c> header anywhere, and
/// the <c>access_token</c> query parameter (browsers cannot set headers on a WebSocket handshake) only
/// on the user paths. Query strings end up in proxies' and browsers' histories, so no other path takes one.
/// </summary>
public static class AccessTokenSources
{
    public const string QueryParameter = "access_token";

    private static readonly PathString[] QueryTokenPaths = ["/message", "/api/users"];

    public static bool AcceptsQueryToken(PathString path) =>
        QueryTokenPaths.Any(prefix => path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase, out var rest) && rest.HasValue);

    /// <summary>The query token when the path takes one and no <c>Authorization</c> header was sent; else null (the handler reads the header).</summary>
    internal static string? FromQuery(HttpRequest request)
    {
        if (request.Headers.ContainsKey(HeaderNames.Authorization) || !AcceptsQueryToken(request.Path))
        {
            return null;
        }

        string? token = request.Query[QueryParameter];
        return string.IsNullOrEmpty(token) ? null : token;
    }
}
