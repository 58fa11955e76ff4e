namespace MessagingServer.Domain.Messages;

/// <summary>What a client's SMS asks for, as far as the carrier keywords go.</summary>
public enum OptOutIntent
{
    /// <summary>An ordinary message.</summary>
    None,

    /// <summary>STOP and friends: the client wants no more SMS from this sender.</summary>
    OptOut,

    /// <summary>START, YES, UNSTOP: the client takes an earlier opt-out back.</summary>
    OptIn,
}

/// <summary>
/// The standard opt-out and opt-in keywords (the ones Twilio and US carriers honour). A body counts only
/// when it is the keyword alone: any case, surrounding whitespace and trailing punctuation ignored
/// (<c>" Stop! "</c> is an opt-out, <c>"please stop"</c> is not).
/// </summary>
public static class OptOutKeywords
{
    private static readonly string[] OptOutWords = ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"];
    private static readonly string[] OptInWords = ["START", "YES", "UNSTOP"];

    public static OptOutIntent Classify(string? body)
    {
        if (body is null)
        {
            return OptOutIntent.None;
        }

        var word = body.AsSpan().Trim();
        var end = word.Length;
        while (end > 0 && char.IsPunctuation(word[end - 1]))
        {
            end--;
        }

        word = word[..end].TrimEnd();
        if (word.IsEmpty)
        {
            return OptOutIntent.None;
        }

        if (Matches(word, OptOutWords))
        {
            return OptOutIntent.OptOut;
        }

        return Matches(word, OptInWords) ? OptOutIntent.OptIn : OptOutIntent.None;
    }

    private static bool Matches(ReadOnlySpan<char> word, string[] keywords)
    {
        foreach (var keyword in keywords)
        {
            if (word.Equals(keyword, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
