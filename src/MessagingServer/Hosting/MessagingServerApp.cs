using MessagingServer.Broadcasts;
using MessagingServer.ClientNumbers;
using MessagingServer.Cluster;
using MessagingServer.Endpoints;
using MessagingServer.Health;
using MessagingServer.Observability;
using MessagingServer.OpenApi;
using MessagingServer.Security;
using MessagingServer.Sessions;
using MessagingServer.Twilio;
using MessagingServer.Persistence;
using MessagingServer.WebSockets;
using Serilog;

namespace MessagingServer.Hosting;

/// <summary>Builds the whole server: the composition root shared by <c>Program</c> and the tests.</summary>
public static class MessagingServerApp
{
    public const string DefaultUrl = "http://localhost:8080";

    private const string NoConfigReload = "--hostBuilder:reloadConfigOnChange=false";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // No watching of the content root for settings changes (settings are read once at start anyway): the
        // SQLite journal lives under it, and the watcher woke up for every write, about a tenth of the CPU under load.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [NoConfigReload, .. args] });
        builder.Configuration.AddTopLevelAppSettings(builder.Environment);
        UseDefaultUrlUnlessConfigured(builder);

        // preserveStaticLogger: each host logs through its own logger, never the process-wide static
        // Log.Logger, so hosts in one process (the tests) neither swap sinks nor silence each other on dispose.
        builder.Services.AddSerilog(
            (services, logger) => logger.ConfigureMessagingLogging(builder.Configuration, builder.Environment, services),
            preserveStaticLogger: true);

        builder.Services.AddMessagingSecurity(builder.Configuration, builder.Environment);
        builder.Services.AddMessagingWebSockets(builder.Configuration);
        builder.Services.AddMessagingAkka(builder.Configuration);
        builder.Services.AddMessagingCluster(builder.Configuration);
        // Before the sessions: their region looks the client numbers' region up when it starts.
        builder.Services.AddMessagingClientNumbers(builder.Configuration);
        builder.Services.AddMessagingSessions(builder.Configuration);
        builder.Services.AddMessagingBroadcasts(builder.Configuration);
        builder.Services.AddMessagingPersistence(builder.Configuration, builder.Environment);
        builder.Services.AddMessagingHealthChecks();
        builder.Services.AddMessagingObservability(builder.Configuration);
        builder.Services.AddMessagingOpenApi(builder.Configuration);

        configure?.Invoke(builder);

        // After configure: it decides from the final configuration, and replaces the default SMS provider when Twilio is configured.
        builder.Services.AddTwilio(builder.Configuration);

        var app = builder.Build();
        // Created now so that its shutdown hook (close sockets with 1001) is in place before the first socket.
        app.Services.GetRequiredService<WebSocketConnections>();

        // Order matters. Forwarded headers first, so logs, HSTS and the per-IP limits see the real client.
        // UseWebSockets only marks upgrade requests (nothing is accepted before an endpoint runs), so the
        // security middleware after it can tell handshakes apart and refuse them before any upgrade:
        // routing, handshake rate limit (429), origin check (403), authentication, authorization (401/403).
        app.UseMessagingForwardedHeaders();
        app.UseSerilogRequestLogging(options => options.ConfigureRedactedRequestLogging(app.Services.GetRequiredService<Serilog.ILogger>()));
        app.UseMessagingHsts();
        app.UseWebSockets(app.Services.GetRequiredService<WebSocketSettings>().ToWebSocketOptions());
        app.UseMessagingSecurity();
        app.MapRootEndpoints();
        app.MapMessagingHealthChecks();
        app.MapMessagingMetrics();
        app.MapAffirmEndpoint();
        app.MapMessageSocket();
        app.MapUserApi();
        app.MapBroadcastApi();
        app.MapTwilioWebhooks();
        app.MapWebConsole();
        app.MapDevTokenEndpoint(app.Configuration);
        app.MapBenchEndpoints(app.Configuration);
        app.MapMessagingOpenApi();
        return app;
    }

    private static void UseDefaultUrlUnlessConfigured(WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var configured = !string.IsNullOrWhiteSpace(configuration[WebHostDefaults.ServerUrlsKey])
            || !string.IsNullOrWhiteSpace(configuration[WebHostDefaults.HttpPortsKey])
            || !string.IsNullOrWhiteSpace(configuration[WebHostDefaults.HttpsPortsKey])
            || configuration.GetSection("Kestrel:Endpoints").Exists();
        if (!configured)
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }
    }
}
