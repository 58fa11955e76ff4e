using Akka.Hosting;
using MessagingServer.Cluster.Serialization;
using MessagingServer.Domain.Broadcasts;
using MessagingServer.Hosting;
using MessagingServer.Persistence;
using MessagingServer.Senders;
using MessagingServer.Sessions;
using Microsoft.Extensions.Options;

namespace MessagingServer.Broadcasts;

/// <summary>Registers broadcasts: their stored types, options, serializer, shard region and the node's waker.</summary>
public static class BroadcastsSetup
{
    public static IServiceCollection AddMessagingBroadcasts(this IServiceCollection services, IConfiguration configuration)
    {
        services
            .AddStoredType<BroadcastCreated>("broadcast-created.v1")
            .AddStoredType<BroadcastRecipientsAdded>("broadcast-recipients.v1")
            .AddStoredType<BroadcastRecipientSettled>("broadcast-settled.v1")
            .AddStoredType<BroadcastCancelled>("broadcast-cancelled.v1")
            .AddStoredType<BroadcastClosed>("broadcast-closed.v1")
            .AddStoredType<BroadcastSnapshot>(BroadcastSnapshot.Manifest)
            .AddStoredType<BroadcastIndexChanged>(BroadcastIndexChanged.Manifest)
            .AddStoredType<BroadcastIndexSnapshot>(BroadcastIndexSnapshot.Manifest);
        services.AddOptions<BroadcastOptions>().Bind(configuration.GetSection(BroadcastOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<BroadcastOptions>>().Value);
        services.AddSingleton<IAkkaContributor, BroadcastsContributor>();
        return services;
    }

    private sealed class BroadcastsContributor : IAkkaContributor
    {
        public void Configure(AkkaConfigurationBuilder builder, IServiceProvider provider)
        {
            var shards = provider.GetRequiredService<IOptions<Cluster.ClusterNodeOptions>>().Value.Shards;
            var options = provider.GetRequiredService<BroadcastOptions>();
            builder.WithCustomSerializer(BroadcastMessageSerializer.Name, BroadcastManifests.BoundTypes, system => new BroadcastMessageSerializer(system));
            builder.WithBroadcastRegion(shards, system => new BroadcastDependencies(
                () => ActorRegistry.For(system).Get<ChatSessionRegistry>(),
                () => ActorRegistry.For(system).Get<BroadcastRegistry>(),
                options,
                SendersSetup.LimitsFrom(provider).Interval,
                provider.GetRequiredService<TimeProvider>(),
                provider.GetRequiredService<Observability.MessagingMetrics>()));
            builder.WithActors((system, registry) =>
                system.ActorOf(BroadcastWaker.Props(registry, options.ResumeInterval), "broadcast-waker"));
        }
    }
}
