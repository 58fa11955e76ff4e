using Akka;
using Akka.Actor;
using Akka.Hosting;
using MessagingServer.Hosting;

namespace MessagingServer.WebSockets;

/// <summary>
/// Closes the sockets in Akka's first coordinated-shutdown phase (<c>before-service-unbind</c>), so that on every
/// way down (SIGTERM, the host stopping, the node leaving or being downed) clients get 1001 first and the phase
/// waits for their handlers to end; only then do the shards hand off, the journal flush and the node leave.
/// </summary>
internal sealed partial class SocketShutdown(WebSocketConnections connections, ILogger<SocketShutdown> logger) : IAkkaContributor
{
    public void Configure(AkkaConfigurationBuilder builder, IServiceProvider provider) =>
        builder.AddStartup((system, _) =>
            CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseBeforeServiceUnbind, "close-sockets-with-1001", async () =>
            {
                await connections.CloseAllForShutdownAsync().ConfigureAwait(false);
                LogSocketsClosed(logger);
                return Done.Instance;
            }));

    [LoggerMessage(Level = LogLevel.Information, Message = "Shutdown: every socket is closed; the node now hands off its shards and leaves")]
    private static partial void LogSocketsClosed(ILogger logger);
}
