using MessagingServer.Persistence;
using Akka.Hosting;
using MessagingServer.Hosting;
using Microsoft.Extensions.Options;

namespace MessagingServer.ClientNumbers;

/// <summary>Registers the client number entities: their stored types, options and shard region.</summary>
public static class ClientNumbersSetup
{
    public static IServiceCollection AddMessagingClientNumbers(this IServiceCollection services, IConfiguration configuration)
    {
        AddStoredTypes(services);
        services.AddOptions<ClientNumberOptions>().Bind(configuration.GetSection(ClientNumberOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IAkkaContributor, ClientNumbersContributor>();
        return services;
    }

    /// <summary>The records a client number stores; its consent events are the session's (<c>optout.v1</c>, <c>optin.v1</c>).</summary>
    public static IServiceCollection AddStoredTypes(IServiceCollection services) => services
        .AddStoredType<ClientClaimed>(ClientClaimed.Manifest)
        .AddStoredType<ClientNumberSnapshot>(ClientNumberSnapshot.Manifest);

    /// <summary>Registered before the sessions' contributor: sessions look the region up when they start.</summary>
    private sealed class ClientNumbersContributor : IAkkaContributor
    {
        public void Configure(AkkaConfigurationBuilder builder, IServiceProvider provider)
        {
            var shards = provider.GetRequiredService<IOptions<Cluster.ClusterNodeOptions>>().Value.Shards;
            var options = provider.GetRequiredService<IOptions<ClientNumberOptions>>().Value;
            builder.WithClientNumberRegion(shards, options, provider.GetRequiredService<TimeProvider>());
        }
    }
}
