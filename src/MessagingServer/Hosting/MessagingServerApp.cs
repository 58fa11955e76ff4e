using MessagingServer.Endpoints;
using MessagingServer.Health;
using MessagingServer.Sessions;
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

        builder.Services.AddSerilog((services, logger) => logger.ConfigureMessagingLogging(
            builder.Configuration, builder.Environment, services));

        builder.Services.AddMessagingWebSockets(builder.Configuration);
        builder.Services.AddMessagingAkka(builder.Configuration);
        builder.Services.AddMessagingSessions(builder.Configuration);
        builder.Services.AddMessagingHealthChecks();

        configure?.Invoke(builder);

        var app = builder.Build();
        // Created now so that its shutdown hook (close sockets with 1001) is in place before the first socket.
        app.Services.GetRequiredService<WebSocketConnections>();
        app.UseSerilogRequestLogging(options => options.ConfigureRedactedRequestLogging());
        app.UseWebSockets(app.Services.GetRequiredService<WebSocketSettings>().ToWebSocketOptions());
        app.MapRootEndpoints();
        app.MapMessagingHealthChecks();
        app.MapAffirmEndpoint();
        app.MapMessageSocket();
        app.MapUserApi();
        app.MapBenchEndpoints(app.Configuration);
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
