using System.Diagnostics;

namespace MessagingServer.TestSupport.Twilio;

/// <summary>One request to the fake's Messages resource. <see cref="Timestamp"/> is a <see cref="Stopwatch"/> timestamp.</summary>
public sealed record FakeTwilioRequest(
    long Timestamp,
    string AccountSidInPath,
    string? AuthUser,
    string? AuthSecret,
    IReadOnlyDictionary<string, string> Form,
    FakeTwilioReply Reply,
    IReadOnlyList<string>? MediaUrls = null)
{
    /// <summary>Every <c>MediaUrl</c> field, in the order sent (the form joins repeated fields into one value).</summary>
    public IReadOnlyList<string> MediaUrls { get; } = MediaUrls ?? [];
}

/// <summary>What the fake answers to one send.</summary>
public abstract record FakeTwilioReply
{
    /// <summary>Twilio's "too many requests" code.</summary>
    public const int TooManyRequestsCode = 20429;

    public static FakeTwilioReply Created(string status = "queued") => new Success(status);

    /// <summary>429 with Twilio's 20429, and <c>Retry-After</c> when given.</summary>
    public static FakeTwilioReply TooManyRequests(int? retryAfterSeconds = null) =>
        new Failure(429, TooManyRequestsCode, "Too Many Requests", retryAfterSeconds);

    public static FakeTwilioReply ServerError(int httpStatus = 500) => new Failure(httpStatus, 20500, "Internal Server Error", null);

    public static FakeTwilioReply Error(int httpStatus, int code, string message) => new Failure(httpStatus, code, message, null);

    /// <summary>A status with a body that is not Twilio's JSON (a proxy's HTML page, say).</summary>
    public static FakeTwilioReply NotJson(int httpStatus, string body = "<html><body>Bad Gateway</body></html>") => new Raw(httpStatus, body);

    /// <summary>Never answers (until the client gives up or the fake stops).</summary>
    public static FakeTwilioReply Hang { get; } = new Hanging();

    /// <summary>
    /// Creates the message (so the list finds it), then answers as <paramref name="answer"/> would: a 5xx or
    /// <see cref="Hang"/> plays a lost answer for a message Twilio did take.
    /// </summary>
    public static FakeTwilioReply CreatedButLost(FakeTwilioReply answer, string status = "queued") => new Lost(answer, status);

    public sealed record Success(string Status) : FakeTwilioReply;

    public sealed record Lost(FakeTwilioReply Answer, string Status) : FakeTwilioReply;

    public sealed record Failure(int HttpStatus, int Code, string Message, int? RetryAfterSeconds) : FakeTwilioReply;

    public sealed record Raw(int HttpStatus, string Body) : FakeTwilioReply;

    public sealed record Hanging : FakeTwilioReply;
}
