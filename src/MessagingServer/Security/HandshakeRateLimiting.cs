using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace MessagingServer.Security;

/// <summary>
/// Limits WebSocket handshakes per client IP (after forwarded headers, so the real client's) with a
/// fixed window; other requests are not limited here. Excess handshakes get 429 <c>too_many_requests</c>
/// with <c>Retry-After</c>, before authentication and before any upgrade.
/// </summary>
internal static partial class HandshakeRateLimiting
{
    public static void Configure(RateLimiterOptions options, LimitsOptions limits)
    {
        options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                return RateLimitPartition.GetNoLimiter(string.Empty);
            }

            var client = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
            return RateLimitPartition.GetFixedWindowLimiter(client, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = limits.HandshakesPerWindow,
                Window = limits.HandshakeWindow,
                QueueLimit = 0,
                AutoReplenishment = true,
            });
        });
        options.OnRejected = (rejected, _) =>
        {
            var context = rejected.HttpContext;
            var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : limits.HandshakeWindow;
            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(HandshakeRateLimiting));
            LogRejected(logger, context.Connection.RemoteIpAddress?.ToString(), context.Request.Path);
            return new ValueTask(SecurityProblems.WriteAsync(
                context,
                StatusCodes.Status429TooManyRequests,
                SecurityProblems.TooManyRequests,
                "Too many WebSocket handshakes from this address",
                $"At most {limits.HandshakesPerWindow} handshakes per {limits.HandshakeWindow} are allowed; try again later.",
                retryAfter));
        };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a WebSocket handshake on {Path} from {ClientAddress}: handshake rate limit")]
    private static partial void LogRejected(ILogger logger, string? clientAddress, PathString path);
}
