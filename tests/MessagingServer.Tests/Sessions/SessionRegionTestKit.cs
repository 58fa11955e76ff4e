using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.TestKit.Xunit2;
using MessagingServer.Routing;
using MessagingServer.Sessions;
using Microsoft.Extensions.Options;

namespace MessagingServer.Tests.Sessions;

/// <summary>
/// A cluster of one with the session region started as the server starts it (sharded entities under back-off),
/// sessions answering through a <see cref="ScriptedProvider"/> on TestKit's in-memory journal.
/// </summary>
public abstract class SessionRegionTestKit : TestKit
{
    // Expectations wait up to 10 s (not TestKit's 3): the test projects start together on two cores, and a
    // passing test never waits for the limit.
    private const string Config = """
        akka.actor.provider = cluster
        akka.remote.dot-netty.tcp.hostname = 127.0.0.1
        akka.remote.dot-netty.tcp.port = 0
        akka.cluster.sharding.passivate-idle-entity-after = off
        akka.cluster.sharding.state-store-mode = ddata
        akka.test.single-expect-default = 10s
        """;

    protected SessionRegionTestKit(string extraConfig = "")
        : base(extraConfig + "\n" + Config)
    {
        // As the server does at startup: sessions recovering at once must not wait for the scheduler to start.
        MessagingServer.Hosting.SchedulerStart.Run(Sys);
        var cluster = Akka.Cluster.Cluster.Get(Sys);
        cluster.Join(cluster.SelfAddress);
        AwaitCondition(() => cluster.SelfMember.Status == Akka.Cluster.MemberStatus.Up);

        Options = new ChatSessionOptions { SessionIdleTimeout = TimeSpan.FromMilliseconds(300), SessionAskTimeout = TimeSpan.FromSeconds(3) };
        var senders = SenderTestRegion.Start(Sys, Provider, () => Region!);
        var dependencies = new ChatSessionDependencies(
            () => senders, new SenderNumbers(Microsoft.Extensions.Options.Options.Create(new RoutingOptions())), new ClientDirectory(),
            Options, TimeProvider.System, new MessagingServer.Observability.MessagingMetrics(new TestMeterFactory()));
        var sharding = ClusterSharding.Get(Sys);
        var settings = ClusterShardingSettings.Create(Sys).WithRememberEntities(false);
        Region = sharding.Start(
            ChatSessionRegistry.RegionName,
            user => ChatSessionRegion.Supervised(user, ChatSessionActor.Props(user, dependencies)),
            settings,
            new ChatSessionMessageExtractor(10),
            sharding.DefaultShardAllocationStrategy(settings),
            ChatSessionActor.StopSession.Instance);
    }

    protected ScriptedProvider Provider { get; } = new();

    protected ChatSessionOptions Options { get; }

    /// <summary>The region, as the server registers it under <see cref="ChatSessionRegistry"/>.</summary>
    protected IActorRef Region { get; }
}
