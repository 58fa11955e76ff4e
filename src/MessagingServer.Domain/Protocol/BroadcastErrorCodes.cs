namespace MessagingServer.Domain.Protocol;

/// <summary>The stable <c>code</c> values of the broadcast endpoints' problems, beside <see cref="ErrorCodes"/>.</summary>
public static class BroadcastErrorCodes
{
    /// <summary>'to' is an empty list.</summary>
    public const string NoRecipients = "no_recipients";

    /// <summary>'to' holds more than <see cref="BroadcastRequestParser.MaxRecipients"/> numbers (before duplicates are removed).</summary>
    public const string TooManyRecipients = "too_many_recipients";

    /// <summary>'media' is not a list of at most 10 https URLs of at most 2,048 characters.</summary>
    public const string InvalidMedia = "invalid_media";

    /// <summary>Another request with this clientRef is still being stored, with another body or other recipients.</summary>
    public const string ClientRefConflict = "client_ref_conflict";

    /// <summary>No broadcast with that id for this user.</summary>
    public const string NotFound = "not_found";
}
