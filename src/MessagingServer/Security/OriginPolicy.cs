using System.Diagnostics.CodeAnalysis;

namespace MessagingServer.Security;

/// <summary>
/// Which browser origins may open a socket: the server's own (the <c>Origin</c>'s host and port equal
/// the request's <c>Host</c>) and those listed in <c>Auth:AllowedOrigins</c>. A request without
/// <c>Origin</c> comes from a non-browser client and is not an origin question at all.
/// </summary>
public sealed class OriginPolicy
{
    private readonly HashSet<string> _allowed;

    public OriginPolicy(IEnumerable<string> allowedOrigins)
    {
        _allowed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var origin in allowedOrigins)
        {
            if (TryNormalize(origin, out var normalized))
            {
                _allowed.Add(normalized);
            }
        }
    }

    public bool IsAllowed(string? origin, HostString requestHost)
    {
        if (string.IsNullOrEmpty(origin))
        {
            return true;
        }

        return IsSameOrigin(origin, requestHost) || (TryNormalize(origin, out var normalized) && _allowed.Contains(normalized));
    }

    /// <summary>
    /// Compares the authority as the browser wrote it with the <c>Host</c> header as the browser wrote
    /// it; both leave out a default port, so this holds behind a proxy that terminates TLS too.
    /// </summary>
    private static bool IsSameOrigin(string origin, HostString requestHost)
    {
        var separator = origin.IndexOf("://", StringComparison.Ordinal);
        if (separator < 0 || !requestHost.HasValue)
        {
            return false;
        }

        var authority = origin.AsSpan(separator + 3).TrimEnd('/');
        return authority.Equals(requestHost.Value, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Turns <c>HTTPS://App.Example.com:443/</c> into <c>https://app.example.com</c>; refuses anything that is not an origin.</summary>
    internal static bool TryNormalize(string? origin, [NotNullWhen(true)] out string? normalized)
    {
        normalized = null;
        if (!Uri.TryCreate(origin?.Trim(), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || uri.AbsolutePath != "/"
            || !string.IsNullOrEmpty(uri.Query)
            || !string.IsNullOrEmpty(uri.Fragment)
            || !string.IsNullOrEmpty(uri.UserInfo))
        {
            return false;
        }

        normalized = uri.IsDefaultPort ? $"{uri.Scheme}://{uri.Host}" : $"{uri.Scheme}://{uri.Host}:{uri.Port}";
        return true;
    }
}
