using Akka.Actor;
using Akka.Hosting;
using MessagingServer.Hosting;
using MessagingServer.Persistence;
using MessagingServer.Routing;
using MessagingServer.Senders;
using MessagingServer.Sms;
using Microsoft.Extensions.Options;

namespace MessagingServer.Sessions;

/// <summary>Registers the sessions, their registry, the senders, routing and the default (loopback) SMS provider.</summary>
public static class SessionsSetup
{
    public static IServiceCollection AddMessagingSessions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddStoredType<Domain.Sessions.ChatSessionSnapshot>("session-snapshot.v1");
        services.AddOptions<ChatSessionOptions>().Bind(configuration.GetSection(ChatSessionOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<ChatSessionOptions>>().Value);
        services.AddOptions<RoutingOptions>().Bind(configuration.GetSection(RoutingOptions.Section));
        services.AddOptions<LoopbackOptions>().Bind(configuration.GetSection(LoopbackOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SenderNumbers>();
        services.AddSingleton<StoredEvents>();
        services.AddSingleton<InboundRouter>();
        services.AddSingleton<ISmsIngress, SessionIngress>();
        services.AddSingleton<LoopbackSmsService>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IAkkaContributor, SessionsContributor>();
        services.AddMessagingSenders();
        services.AddReconciliation(configuration);
        services.AddSingleton<IAkkaContributor, WebSockets.UserHubsContributor>();
        return services;
    }

    private sealed class SessionsContributor : IAkkaContributor
    {
        public void Configure(AkkaConfigurationBuilder builder, IServiceProvider provider)
        {
            var shards = provider.GetRequiredService<IOptions<Cluster.ClusterNodeOptions>>().Value.Shards;
            builder.WithChatSessionRegion(shards, system =>
            {
                var dependencies = new ChatSessionDependencies(
                    () => ActorRegistry.For(system).Get<Senders.SenderRegistry>(),
                    provider.GetRequiredService<SenderNumbers>(),
                    // Started before this region (its contributor is registered first).
                    ActorRegistry.For(system).Get<ClientNumbers.ClientNumberRegistry>(),
                    provider.GetRequiredService<ChatSessionOptions>(),
                    provider.GetRequiredService<TimeProvider>(),
                    provider.GetRequiredService<Observability.MessagingMetrics>(),
                    provider.GetService<IOptions<Persistence.PersistenceOptions>>()?.Value.SnapshotEvery ?? 1000,
                    SendRateOf(provider.GetRequiredService<IOptions<Security.LimitsOptions>>().Value),
                    ReconcileSetup.LookupsFrom(provider),
                    () => ActorRegistry.For(system).TryGet<Broadcasts.BroadcastRegistry>(out var index) ? index : null);
                return userId => ChatSessionActor.Props(userId, dependencies);
            });
        }

        private static Domain.Sessions.SendRate SendRateOf(Security.LimitsOptions limits) => new(limits.SendsPerSecond, limits.SendBurst);
    }
}
