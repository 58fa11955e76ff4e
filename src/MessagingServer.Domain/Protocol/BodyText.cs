namespace MessagingServer.Domain.Protocol;

/// <summary>
/// What an SMS body may hold. Nothing visible (only spaces, zero-width characters, a byte-order mark or
/// direction marks) is an empty body; control characters other than tab and line breaks, and the bidi
/// embedding/override/isolate controls (which can make a message read backwards on the phone), are refused.
/// </summary>
public static class BodyText
{
    public static bool HasVisibleText(string body)
    {
        foreach (var c in body)
        {
            if (!char.IsWhiteSpace(c) && !IsInvisible(c) && !char.IsControl(c))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The first character a body may not hold, or null when there is none.</summary>
    public static char? FirstForbidden(string body)
    {
        foreach (var c in body)
        {
            if ((char.IsControl(c) && c is not ('\t' or '\n' or '\r')) || c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069'))
            {
                return c;
            }
        }

        return null;
    }

    private static bool IsInvisible(char c) =>
        c is (>= '\u200B' and <= '\u200F') or '\u2060' or '\uFEFF' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');
}
