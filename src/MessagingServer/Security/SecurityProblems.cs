using MessagingServer.Endpoints;
using Microsoft.Net.Http.Headers;

namespace MessagingServer.Security;

/// <summary>The <c>application/problem+json</c> answers of the security layer, each with a stable <c>code</c>.</summary>
public static class SecurityProblems
{
    public const string Unauthorized = "unauthorized";
    public const string Forbidden = "forbidden";
    public const string OriginNotAllowed = "origin_not_allowed";
    public const string TooManyRequests = "too_many_requests";
    public const string TooManySockets = "too_many_sockets";

    public static Task WriteAsync(HttpContext context, int status, string code, string title, string? detail = null, TimeSpan? retryAfter = null)
    {
        if (context.Response.HasStarted)
        {
            return Task.CompletedTask;
        }

        if (retryAfter is { } wait)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            context.Response.Headers[HeaderNames.RetryAfter] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return Problems.Write(context, status, code, title, detail);
    }
}
