namespace MessagingServer.Endpoints;

/// <summary><c>application/problem+json</c> answers with a stable <c>code</c>.</summary>
public static class Problems
{
    public static IResult Result(int status, string code, string title, string? detail = null) =>
        Results.Problem(statusCode: status, title: title, detail: detail, extensions: new Dictionary<string, object?> { ["code"] = code });

    public static Task Write(HttpContext context, int status, string code, string title, string? detail = null) =>
        Result(status, code, title, detail).ExecuteAsync(context);
}
