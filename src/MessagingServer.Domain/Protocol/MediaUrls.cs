namespace MessagingServer.Domain.Protocol;

/// <summary>
/// The rules for the <c>media</c> of a send (MMS): at most <see cref="MaxCount"/> absolute <c>https://</c> URLs of at
/// most <see cref="MaxLength"/> characters, printable ASCII only (anything else percent-encoded), no user name or
/// password, each listed once. The provider fetches them; the server never does.
/// </summary>
public static class MediaUrls
{
    public const int MaxCount = 10;
    public const int MaxLength = 2048;

    /// <summary>Why <paramref name="url"/> (entry <paramref name="index"/> of <c>media</c>) is refused, or null when it is fine.</summary>
    public static string? Problem(string url, int index)
    {
        ArgumentNullException.ThrowIfNull(url);
        var name = $"'media[{index}]'";
        if (url.Length == 0)
        {
            return $"{name} is empty; a media entry is an https:// URL";
        }

        if (url.Length > MaxLength)
        {
            return $"{name} has {url.Length} characters; the limit is {MaxLength}";
        }

        foreach (var c in url)
        {
            if (c is < '!' or > '~')
            {
                return $"{name} holds U+{(int)c:X4}; a URL is printable ASCII (percent-encode spaces, control and non-ASCII characters)";
            }
        }

        if (!url.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            || !Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || uri.Scheme != Uri.UriSchemeHttps
            || uri.Host.Length == 0)
        {
            return $"{name} must be an absolute https:// URL";
        }

        return uri.UserInfo.Length > 0 ? $"{name} must not carry a user name or password" : null;
    }
}
