using Microsoft.Extensions.Options;

namespace MessagingServer.Security;

/// <summary>
/// The security middleware, in three calls because each has its place in the pipeline:
/// <see cref="UseMessagingForwardedHeaders"/> first of all, <see cref="UseMessagingHsts"/> before
/// anything answers, and <see cref="UseMessagingSecurity"/> after <c>UseWebSockets</c> (which only
/// marks upgrade requests; nothing is accepted before an endpoint runs) and before the endpoints.
/// </summary>
public static partial class SecurityApplicationBuilderExtensions
{
    /// <summary>When <c>ForwardedHeaders:Enabled</c>, believes the trusted proxies' client IP and scheme, for every later middleware and log.</summary>
    public static WebApplication UseMessagingForwardedHeaders(this WebApplication app)
    {
        var settings = app.Services.GetRequiredService<IOptions<ForwardedHeadersSettings>>().Value;
        if (settings.Enabled)
        {
            app.UseForwardedHeaders(settings.ToOptions());
        }

        return app;
    }

    /// <summary>Outside Development, HTTPS answers carry <c>Strict-Transport-Security</c> (never for localhost).</summary>
    public static WebApplication UseMessagingHsts(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        return app;
    }

    /// <summary>
    /// Routing, then handshake rate limiting (429), the origin check (403), authentication and
    /// authorization (401/403): each refusal happens before the endpoint, so before any WebSocket upgrade.
    /// </summary>
    public static WebApplication UseMessagingSecurity(this WebApplication app)
    {
        app.UseRouting();
        app.UseRateLimiter();
        app.UseMiddleware<OriginCheckMiddleware>();
        app.UseAuthentication();
        app.UseAuthorization();

        app.Lifetime.ApplicationStarted.Register(() =>
        {
            if (app.Services.GetRequiredService<IOptions<AuthOptions>>().Value.UsesDevelopmentKey)
            {
                LogDevelopmentKey(app.Logger);
            }

            UserRouteGuard.LogUnguarded(app.Services, app.Logger);
        });
        return app;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Auth:SigningKey is not set: tokens are signed with the published Development key. Configure a secret of your own before exposing this server.")]
    private static partial void LogDevelopmentKey(ILogger logger);
}
