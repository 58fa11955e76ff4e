using Akka.Hosting;
using MessagingServer.Hosting;
using MessagingServer.Sessions;
using MessagingServer.Sms;
using MessagingServer.Twilio;
using Microsoft.Extensions.Options;

namespace MessagingServer.Senders;

/// <summary>Registers the sender region, paced by the <c>Twilio</c> settings when Twilio is on (unpaced on the loopback provider).</summary>
public static class SendersSetup
{
    public static IServiceCollection AddMessagingSenders(this IServiceCollection services)
    {
        services.AddSingleton<IAkkaContributor, SendersContributor>();
        return services;
    }

    /// <summary>
    /// The provider senders call: the one registered as <see cref="IClientMessagingService"/> if any
    /// (Twilio, when configured), else the loopback provider.
    /// </summary>
    public static IClientMessagingService ProviderFrom(IServiceProvider services) =>
        services.GetService<IClientMessagingService>() ?? services.GetRequiredService<LoopbackSmsService>();

    public static SenderLimits LimitsFrom(IServiceProvider services)
    {
        var twilio = services.GetService<IOptions<TwilioOptions>>()?.Value;
        return twilio is { IsConfigured: true }
            ? SenderLimits.PerSecond(twilio.MessagesPerSecond, twilio.MaxConcurrentRequests, twilio.MaxQueuedPerSender)
            : SenderLimits.Unpaced;
    }

    private sealed class SendersContributor : IAkkaContributor
    {
        public void Configure(AkkaConfigurationBuilder builder, IServiceProvider provider)
        {
            var shards = provider.GetRequiredService<IOptions<Cluster.ClusterNodeOptions>>().Value.Shards;
            builder.WithSenderRegion(shards, system =>
            {
                var dependencies = new SenderDependencies(
                    ProviderFrom(provider),
                    LimitsFrom(provider),
                    provider.GetRequiredService<TimeProvider>(),
                    () => ActorRegistry.For(system).Get<ChatSessionRegistry>(),
                    provider.GetRequiredService<ILoggerFactory>());
                return sender => SenderActor.Props(sender, dependencies);
            });
        }
    }
}
