using Akka.Actor;
using Akka.Hosting;
using MessagingServer.Hosting;
using MessagingServer.Persistence;
using Microsoft.Extensions.Options;

namespace MessagingServer.Routing;

/// <summary>
/// Starts the <see cref="ClientDirectory"/>'s store, has the server wait for it to load before taking traffic
/// (a reply that comes in first must find its user), and lets its last writes finish on shutdown.
/// </summary>
internal sealed class ClientDirectoryContributor : IAkkaContributor
{
    /// <summary>Inside Akka's default 5 s for the shutdown phase it runs in.</summary>
    private static readonly TimeSpan ShutdownFlushTimeout = TimeSpan.FromSeconds(4);

    public static void AddStoredTypes(IServiceCollection services) => services
        .AddStoredType<ClientClaimed>(ClientClaimed.Manifest)
        .AddStoredType<ClientDirectorySnapshot>(ClientDirectorySnapshot.Manifest);

    public void Configure(AkkaConfigurationBuilder builder, IServiceProvider provider)
    {
        builder.WithActors((system, registry, _) =>
        {
            var snapshotEvery = provider.GetService<IOptions<Persistence.PersistenceOptions>>()?.Value.SnapshotEvery ?? 1000;
            var directory = provider.GetRequiredService<ClientDirectory>();
            var store = system.ActorOf(ClientDirectoryActor.Supervised(directory, snapshotEvery), ClientDirectoryActor.Id);
            directory.StoreWith(claim => store.Tell(new ClientDirectoryActor.Store(claim)));
            registry.Register<ClientDirectoryActor>(store);
        });
        builder.AddStartup(async (system, registry) =>
        {
            // Resolved here, not while Akka is configured: options validation reports its own errors at startup.
            var timeout = provider.GetRequiredService<IOptions<RoutingOptions>>().Value.DirectoryLoadTimeout;
            var logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger<ClientDirectory>();
            var store = await registry.GetAsync<ClientDirectoryActor>();
            CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate, "store-client-directory", async () =>
            {
                if (!await AnswersAsync(store, ShutdownFlushTimeout))
                {
                    logger.LogWarning("The client directory's last claims were not stored within {Timeout} of shutdown", ShutdownFlushTimeout);
                }

                return Akka.Done.Instance;
            });
            if (!await AnswersAsync(store, timeout))
            {
                // Storage is down or slow: replies go by what sessions claim as they load, as before the directory was stored.
                logger.LogWarning("The client directory did not load within {Timeout}; replies go by what sessions claim as they load", timeout);
            }
        });
    }

    /// <summary>True once the store has loaded and stored every claim sent to it before.</summary>
    private static async Task<bool> AnswersAsync(IActorRef store, TimeSpan timeout)
    {
        try
        {
            await store.Ask<ClientDirectoryActor.Loaded>(ClientDirectoryActor.WhenLoaded.Instance, timeout);
            return true;
        }
        catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
        {
            return false;
        }
    }
}
