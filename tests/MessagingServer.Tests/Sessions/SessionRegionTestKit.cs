using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.TestKit.Xunit2;
using MessagingServer.Routing;
using MessagingServer.Sessions;
using Microsoft.Extensions.Options;

namespace MessagingServer.Tests.Sessions;

/// <summary>
/// A cluster of one with the client number and session regions started as the server starts them (sharded entities under back-off),
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

    protected SessionRegionTestKit(string extraConfig = "", MessagingServer.ClientNumbers.ClientNumberOptions? clientNumbers = null)
        : base(extraConfig + "\n" + Config)
    {
        // As the server does at startup: sessions recovering at once must not wait for the scheduler to start.
        MessagingServer.Hosting.SchedulerStart.Run(Sys);
        var cluster = Akka.Cluster.Cluster.Get(Sys);
        cluster.Join(cluster.SelfAddress);
        AwaitCondition(() => cluster.SelfMember.Status == Akka.Cluster.MemberStatus.Up);

        Options = new ChatSessionOptions { SessionIdleTimeout = TimeSpan.FromMilliseconds(300), SessionAskTimeout = TimeSpan.FromSeconds(3) };
        ClientNumbers = MessagingServer.Tests.ClientNumbers.ClientNumberTestRegion.Start(Sys, clientNumbers);
        var senders = SenderTestRegion.Start(Sys, Provider, () => Region!);
        var metrics = new MessagingServer.Observability.MessagingMetrics(new TestMeterFactory());
        Dependencies = new ChatSessionDependencies(
            () => senders, new SenderNumbers(Microsoft.Extensions.Options.Options.Create(new RoutingOptions())), ClientNumbers,
            Options, TimeProvider.System, metrics,
            Lookups: new SendLookups(Provider, Reconcile, new MessagingServer.Observability.ReconcileMetrics(metrics)));
        Region = StartRegion(ChatSessionRegistry.RegionName);
    }

    /// <summary>Another session region (its own type name), e.g. with a shorter back-off after a storage failure.</summary>
    protected IActorRef StartRegion(string typeName, TimeSpan? minBackoff = null)
    {
        // Each region has senders of its own that answer back to it, as the one region of a server does.
        IActorRef? region = null;
        var senders = typeName == ChatSessionRegistry.RegionName ? null : SenderTestRegion.Start(Sys, Provider, () => region!, typeName: typeName + "-senders");
        var dependencies = senders is null ? Dependencies : Dependencies with { SenderRegion = () => senders };
        var sharding = ClusterSharding.Get(Sys);
        var settings = ClusterShardingSettings.Create(Sys).WithRememberEntities(false);
        return region = sharding.Start(
            typeName,
            user => ChatSessionRegion.Supervised(user, ChatSessionActor.Props(user, dependencies), minBackoff),
            settings,
            new ChatSessionMessageExtractor(10),
            sharding.DefaultShardAllocationStrategy(settings),
            ChatSessionActor.StopSession.Instance);
    }

    protected ChatSessionDependencies Dependencies { get; }

    protected ScriptedProvider Provider { get; } = new();

    protected ChatSessionOptions Options { get; }

    /// <summary>Lost answers are looked up quickly here: first after 50 ms, a window of 2 s.</summary>
    protected MessagingServer.Sms.ReconcileOptions Reconcile { get; } = new()
    {
        ReconcileWindow = TimeSpan.FromSeconds(2),
        ReconcileFirstDelay = TimeSpan.FromMilliseconds(50),
        ReconcileMaxDelay = TimeSpan.FromMilliseconds(400),
    };

    /// <summary>The client number region the sessions check consent with and claim numbers in.</summary>
    protected IActorRef ClientNumbers { get; }

    /// <summary>The region, as the server registers it under <see cref="ChatSessionRegistry"/>.</summary>
    protected IActorRef Region { get; }
}
