namespace MessagingServer.Domain.Protocol;

/// <summary>The stable <c>code</c> values of <c>error</c> frames and problem responses.</summary>
public static class ErrorCodes
{
    public const string InvalidJson = "invalid_json";
    public const string UnknownType = "unknown_type";
    public const string MissingField = "missing_field";
    public const string InvalidField = "invalid_field";
    public const string DuplicateField = "duplicate_field";
    public const string InvalidTo = "invalid_to";
    public const string EmptyBody = "empty_body";
    public const string BodyTooLong = "body_too_long";
    public const string InvalidMedia = "invalid_media";
    public const string BinaryNotSupported = "binary_not_supported";
    public const string OptedOut = "opted_out";
    public const string RateLimited = "rate_limited";
    public const string Unavailable = "unavailable";
    public const string InvalidUser = "invalid_user";
    public const string InvalidCursor = "invalid_cursor";
}
