using System.Globalization;
using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Cluster.Hosting.SBR;
using Akka.Hosting;
using Akka.Remote.Hosting;
using MessagingServer.Cluster.Serialization;
using MessagingServer.Health;
using MessagingServer.Hosting;
using Microsoft.Extensions.Options;

namespace MessagingServer.Cluster;

/// <summary>
/// Every server is an Akka.NET cluster node: remoting, cluster membership with the split-brain resolver, and
/// (without seed nodes) a cluster of one that joins itself. The server waits for this node to be Up before it
/// takes traffic, within <see cref="ClusterNodeOptions.JoinTimeout"/>.
/// </summary>
public static class ClusterSetup
{
    public static IServiceCollection AddMessagingCluster(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ClusterNodeOptions>()
            .Bind(configuration.GetSection(ClusterNodeOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ClusterNodeOptions>, ClusterNodeOptionsValidator>();
        services.AddSingleton<IAkkaContributor, ClusterContributor>();
        services.AddHealthChecks().AddCheck<ClusterHealthCheck>("cluster", tags: [HealthEndpoints.ReadyTag]);
        services.AddSingleton<ClusterMetrics>();
        return services;
    }

    private sealed class ClusterContributor(IOptions<ClusterNodeOptions> options, ILogger<ClusterContributor> logger) : IAkkaContributor
    {
        public void Configure(AkkaConfigurationBuilder builder, IServiceProvider provider)
        {
            var node = options.Value;
            builder
                .WithRemoting(new RemoteOptions
                {
                    HostName = node.Hostname,
                    Port = node.Port,
                    PublicHostName = string.IsNullOrWhiteSpace(node.PublicHostname) ? null : node.PublicHostname,
                })
                .WithClustering(new ClusterOptions
                {
                    SeedNodes = node.SeedNodes,
                    SplitBrainResolver = new KeepMajorityOption(),
                })
                // Session and client number messages cross nodes: explicit JSON under stable manifests, never Newtonsoft.
                .WithSessionMessageSerializer()
                .WithClientNumberMessageSerializer()
                // The one setting Akka.Cluster.Hosting has no typed option for.
                .AddHocon(
                    string.Create(CultureInfo.InvariantCulture, $"akka.cluster.split-brain-resolver.stable-after = {(long)node.StableAfter.TotalMilliseconds}ms"),
                    HoconAddMode.Prepend)
                .AddStartup(async (system, _) =>
                {
                    var cluster = Akka.Cluster.Cluster.Get(system);
                    DownedNodeExit.Register(system, logger);
                    if (node.IsClusterOfOne)
                    {
                        cluster.Join(cluster.SelfAddress);
                    }

                    await WaitUntilUpAsync(system, cluster, node.JoinTimeout);
                    // Its gauges exist from now on.
                    provider.GetRequiredService<ClusterMetrics>();
                });
        }

        private async Task WaitUntilUpAsync(ActorSystem system, Akka.Cluster.Cluster cluster, TimeSpan timeout)
        {
            var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            cluster.RegisterOnMemberUp(() => up.TrySetResult());
            var finished = await Task.WhenAny(up.Task, Task.Delay(timeout, CancellationToken.None), system.WhenTerminated);
            if (finished == up.Task)
            {
                LogUp(logger, cluster.SelfAddress.ToString());
            }
            else
            {
                LogNotUp(logger, cluster.SelfAddress.ToString(), timeout);
            }
        }
    }

    private static void LogUp(ILogger logger, string address) =>
        logger.LogInformation("Cluster: node {Address} is Up", address);

    private static void LogNotUp(ILogger logger, string address, TimeSpan timeout) =>
        logger.LogWarning("Cluster: node {Address} is not Up after {Timeout}; taking traffic anyway, readiness reports it", address, timeout);
}
