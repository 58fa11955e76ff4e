using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using System.ComponentModel.DataAnnotations;

namespace MessagingServer.WebSockets;

/// <summary>Socket limits, bound from the <c>Messaging</c> section.</summary>
public sealed class WebSocketSettings
{
    public const string Section = "Messaging";

    /// <summary>A message (all its frames together) larger than this closes the socket with 1009.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxMessageBytes { get; set; } = 64 * 1024;

    /// <summary>How often the server pings an idle peer.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a peer may leave a ping unanswered before it is dropped.</summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Connections the kernel may queue before Kestrel accepts them (Kestrel's own default is 512). When every
    /// user reconnects at once after a network blip or a restart, a connect that finds the queue full is dropped and
    /// its client retries only after a second; the kernel caps this at <c>net.core.somaxconn</c>.
    /// </summary>
    [Range(16, 65535)]
    public int ListenBacklog { get; set; } = 4096;

    /// <summary>How long a closing handshake may take before the socket is aborted.</summary>
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(3);

    public WebSocketOptions ToWebSocketOptions() => new()
    {
        KeepAliveInterval = KeepAliveInterval,
        KeepAliveTimeout = KeepAliveTimeout,
    };
}

internal static class WebSocketServiceCollectionExtensions
{
    public static IServiceCollection AddMessagingWebSockets(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebSocketSettings>()
            .Bind(configuration.GetSection(WebSocketSettings.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<WebSocketSettings>>().Value);
        services.AddOptions<SocketTransportOptions>()
            .Configure<Microsoft.Extensions.Options.IOptions<WebSocketSettings>>((transport, settings) => transport.Backlog = settings.Value.ListenBacklog);
        services.AddSingleton<WebSocketConnections>();
        services.AddSingleton<Hosting.IAkkaContributor, SocketShutdown>();
        services.AddSingleton<BridgeCounters>();
        services.AddSingleton<SessionSocketBridge>();
        services.AddSingleton<ClusterSocketCap>();
        // One materializer for the whole actor system; one per socket would leak. Buffers over 128 elements grow
        // as they fill instead of being allocated whole up front: each socket's 1,024-frame buffer is almost always empty.
        services.AddSingleton<Akka.Streams.IMaterializer>(sp =>
        {
            var system = sp.GetRequiredService<Akka.Actor.ActorSystem>();
            var settings = Akka.Streams.ActorMaterializerSettings.Create(system).WithMaxFixedBufferSize(128);
            return Akka.Streams.ActorMaterializer.Create(system, settings, namePrefix: "sockets");
        });
        return services;
    }
}
