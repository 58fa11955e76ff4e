using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace MessagingServer.Security;

/// <summary>
/// Refuses a browser's WebSocket handshake from a foreign origin with 403 <c>origin_not_allowed</c>
/// before any socket is accepted. Browsers send cookies and an <c>Origin</c> with every handshake and
/// apply no CORS to sockets, so this is the only guard against a hostile page opening one.
/// </summary>
internal sealed partial class OriginCheckMiddleware(RequestDelegate next, IOptions<AuthOptions> options, ILogger<OriginCheckMiddleware> logger)
{
    private readonly OriginPolicy _policy = new(options.Value.AllowedOrigins);

    public Task InvokeAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            return next(context);
        }

        string? origin = context.Request.Headers[HeaderNames.Origin];
        if (_policy.IsAllowed(origin, context.Request.Host))
        {
            return next(context);
        }

        LogOriginRefused(logger, origin, context.Request.Path);
        return SecurityProblems.WriteAsync(
            context,
            StatusCodes.Status403Forbidden,
            SecurityProblems.OriginNotAllowed,
            "This origin may not open sockets here",
            "The page's origin is neither the server's own nor listed in Auth:AllowedOrigins.");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a WebSocket handshake on {Path} from origin {Origin}")]
    private static partial void LogOriginRefused(ILogger logger, string? origin, PathString path);
}
