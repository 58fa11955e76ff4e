using MessagingServer.Endpoints;
using MessagingServer.Health;
using MessagingServer.Observability;
using MessagingServer.Sessions;
using MessagingServer.Twilio;
using MessagingServer.WebSockets;
using Serilog;

namespace MessagingServer.Hosting;

/// <summary>Builds the whole server: the composition root shared by <c>Program</c> and the tests.</summary>
public static class MessagingServerApp
{
    public const string DefaultUrl = "http://localhost:8080";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args });
        builder.Configuration.AddTopLevelAppSettings(builder.Environment);
        UseDefaultUrlUnlessConfigured(builder);

        // Each host gets its own logger (several hosts share one test process); the static Log stays untouched.
        builder.Services.AddSerilog(
            (services, logger) => logger.ConfigureMessagingLogging(builder.Configuration, builder.Environment, services),
            preserveStaticLogger: true);

        builder.Services.AddMessagingWebSockets(builder.Configuration);
        builder.Services.AddMessagingAkka(builder.Configuration);
        builder.Services.AddMessagingSessions(builder.Configuration);
        builder.Services.AddMessagingHealthChecks();
        builder.Services.AddMessagingObservability(builder.Configuration);

        configure?.Invoke(builder);

        // After configure: it decides from the final configuration, and replaces the default SMS provider when Twilio is configured.
        builder.Services.AddTwilio(builder.Configuration);

        var app = builder.Build();
        // Created now so that its shutdown hook (close sockets with 1001) is in place before the first socket.
        app.Services.GetRequiredService<WebSocketConnections>();
        app.UseSerilogRequestLogging(options => options.ConfigureRedactedRequestLogging());
        app.UseWebSockets(app.Services.GetRequiredService<WebSocketSettings>().ToWebSocketOptions());
        app.MapRootEndpoints();
        app.MapMessagingHealthChecks();
        app.MapMessagingMetrics();
        app.MapAffirmEndpoint();
        app.MapMessageSocket();
        app.MapUserApi();
        app.MapTwilioWebhooks();
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
