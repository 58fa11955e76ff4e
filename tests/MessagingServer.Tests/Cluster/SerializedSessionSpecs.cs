using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using MessagingServer.Domain.Messages;
using MessagingServer.Domain.Protocol;
using MessagingServer.Routing;
using MessagingServer.Sessions;
using MessagingServer.Sms;
using MessagingServer.Tests.Sessions;
using Microsoft.Extensions.Options;
using static MessagingServer.Sessions.ChatSessionCommands;

namespace MessagingServer.Tests.Cluster;

/// <summary>
/// The session region of a cluster of one with <c>serialize-messages = on</c>: every message an actor is told is
/// written and read back by the serializer another node would use, so what works here works across nodes.
/// </summary>
public sealed class SerializedSessionSpecs : TestKit
{
    private const string Config = """
        akka.actor.provider = cluster
        akka.actor.serialize-messages = on
        akka.actor.serialize-creators = off
        akka.remote.dot-netty.tcp.hostname = 127.0.0.1
        akka.remote.dot-netty.tcp.port = 0
        akka.cluster.sharding.passivate-idle-entity-after = off
        akka.cluster.sharding.state-store-mode = ddata
        akka.test.single-expect-default = 10s
        """;

    private const string Client = "+15550001111";
    private const string OurNumber = "+15550000000";

    private readonly ScriptedProvider _provider = new();
    private readonly IActorRef _registry;

    public SerializedSessionSpecs()
        : base(SessionSerializationTestSetup.With(Config))
    {
        MessagingServer.Hosting.SchedulerStart.Run(Sys);
        var cluster = Akka.Cluster.Cluster.Get(Sys);
        cluster.Join(cluster.SelfAddress);
        AwaitCondition(() => cluster.SelfMember.Status == Akka.Cluster.MemberStatus.Up);

        var senders = SenderTestRegion.Start(Sys, _provider, () => _registry!);
        var dependencies = new ChatSessionDependencies(
            () => senders, new SenderNumbers(Options.Create(new RoutingOptions { DefaultFrom = OurNumber })), MessagingServer.Tests.ClientNumbers.ClientNumberTestRegion.Start(Sys),
            new ChatSessionOptions { SessionIdleTimeout = TimeSpan.FromSeconds(30) },
            TimeProvider.System, new MessagingServer.Observability.MessagingMetrics(new TestMeterFactory()));
        var sharding = ClusterSharding.Get(Sys);
        var settings = ClusterShardingSettings.Create(Sys).WithRememberEntities(false);
        _registry = sharding.Start(
            ChatSessionRegistry.RegionName,
            user => ChatSessionRegion.Supervised(user, ChatSessionActor.Props(user, dependencies)),
            settings,
            new ChatSessionMessageExtractor(10),
            sharding.DefaultShardAllocationStrategy(settings),
            ChatSessionActor.StopSession.Instance);
    }

    [Fact]
    public void Connect_send_status_inbound_ack_and_the_queries_work_with_every_message_serialized()
    {
        Assert.True(Sys.Settings.SerializeAllMessages);
        var socket = CreateTestProbe();
        _registry.Tell(new Connect("ser", null, socket.Ref));
        Assert.Equal(0, ExpectMsg<Connected>().ReplayTo);
        Assert.Equal("welcome", Type(Assert.Single(socket.ExpectMsg<FrameBatch>().Frames)));

        _registry.Tell(new Send("ser", Client, "hello ✓", "r1", "corr-1"));
        var accepted = ExpectMsg<SendResult.Accepted>();
        Assert.Equal(1, accepted.Seq);
        Assert.Equal("outbound", Type(socket.ExpectMsg<ServerFrame>(f => f.Seq == 1)));
        Assert.Equal("sent", (string?)Json(socket.ExpectMsg<ServerFrame>(f => f.Seq == 2))["status"]);

        _registry.Tell(new DeliverStatus("ser", new StatusReport("ser", accepted.Id, MessageStatus.Delivered, null, "SM1")));
        Assert.Equal(IngressResult.Stored, ExpectMsg<IngressResult>());
        Assert.Equal("delivered", (string?)Json(socket.ExpectMsg<ServerFrame>(f => f.Seq == 3))["status"]);

        _registry.Tell(new DeliverInbound("ser", new InboundSms(Client, OurNumber, "thanks", ["https://media.example/1.jpg"], "SMin1")));
        Assert.Equal(IngressResult.Stored, ExpectMsg<IngressResult>());
        Assert.Equal("message", Type(socket.ExpectMsg<ServerFrame>(f => f.Seq == 4)));

        _registry.Tell(new Ack("ser", 4));
        Assert.Equal(new AckResult(true, 4), ExpectMsg<AckResult>());
        _registry.Tell(new Ack("ser", 99));
        Assert.False(ExpectMsg<AckResult>().Accepted);

        _registry.Tell(new GetHistory("ser", 1, 100));
        var history = ExpectMsg<History>();
        Assert.Equal([2L, 3, 4], history.Events.Select(e => e.Seq));
        Assert.Equal("thanks", Assert.IsType<InboundReceived>(history.Events[^1]).Body);
        Assert.Equal((4, 4), (history.LastSeq, history.AckedSeq));

        _registry.Tell(new GetConversations("ser"));
        var conversation = Assert.Single(ExpectMsg<ConversationList>().Conversations);
        Assert.Equal(Client, conversation.ClientNumber);
        Assert.Equal(4, conversation.LastEvent.Seq);

        _registry.Tell(new Send("ser", Client, "hello ✓", "r1"));
        Assert.True(ExpectMsg<SendResult.Accepted>().Duplicate);

        _registry.Tell(new Disconnect("ser", socket.Ref));
        _registry.Tell(new GetSessionInfo("ser"));
        Assert.Equal(new SessionInfo("ser", 0, 4, 4), ExpectMsg<SessionInfo>());
        Assert.Single(_provider.Sent);
    }

    [Fact]
    public void A_hub_connecting_for_one_socket_gets_that_sockets_replay()
    {
        _registry.Tell(new DeliverInbound("hubbed", new InboundSms(Client, OurNumber, "one", [], "SMa")));
        _registry.Tell(new DeliverInbound("hubbed", new InboundSms(Client, OurNumber, "two", [], "SMb")));
        ExpectMsg<IngressResult>();
        ExpectMsg<IngressResult>();
        var hub = CreateTestProbe();
        var socket = CreateTestProbe();

        _registry.Tell(new Connect("hubbed", 1, hub.Ref, SendWelcome: false, Socket: socket.Ref));

        Assert.Equal(2, ExpectMsg<Connected>().ReplayFrom);
        var replay = hub.ExpectMsg<ReplayFor>();
        Assert.Equal(socket.Ref, replay.Socket);
        Assert.Equal(2, replay.UpTo);
        Assert.Equal(2, Assert.Single(replay.Batch.Frames).Seq);
    }

    [Fact]
    public void A_replay_bigger_than_a_remote_frame_reaches_the_subscriber_whole_and_in_order()
    {
        const int count = 300;
        var body = new string('é', 1500);
        for (var i = 1; i <= count; i++)
        {
            _registry.Tell(new DeliverInbound("long", new InboundSms(Client, OurNumber, body, [], $"SM{i}")));
        }

        for (var i = 1; i <= count; i++)
        {
            Assert.Equal(IngressResult.Stored, ExpectMsg<IngressResult>());
        }

        var socket = CreateTestProbe();
        _registry.Tell(new Connect("long", 0, socket.Ref));
        Assert.Equal(count, ExpectMsg<Connected>().ReplayTo);

        var frames = new List<ServerFrame>();
        var batches = 0;
        while (frames.Count < count + 1)
        {
            var batch = socket.ExpectMsg<FrameBatch>();
            Assert.InRange(Sys.Serialization.Serialize(batch).Length, 1, 128_000 - 16_000);
            frames.AddRange(batch.Frames);
            batches++;
        }

        Assert.True(batches > 1);
        Assert.Equal("welcome", Type(frames[0]));
        Assert.Equal(Enumerable.Range(1, count).Select(i => (long)i), frames.Skip(1).Select(f => f.Seq));
        socket.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task A_history_bigger_than_a_remote_frame_is_read_in_pages_whole_and_in_order()
    {
        const int count = 120;
        var body = new string('é', 1500);
        for (var i = 1; i <= count; i++)
        {
            _registry.Tell(new DeliverInbound("paged", new InboundSms(Client, OurNumber, body, [], $"SM{i}")));
        }

        for (var i = 1; i <= count; i++)
        {
            Assert.Equal(IngressResult.Stored, ExpectMsg<IngressResult>());
        }

        _registry.Tell(new GetHistory("paged", 0, 1000));
        var first = ExpectMsg<History>();
        Assert.InRange(first.Events.Count, 1, count - 1);
        Assert.InRange(Sys.Serialization.Serialize(first).Length, 1, 128_000 - 16_000);

        var all = await HistoryPages.ReadAsync(_registry, "paged", 0, 1000, TimeSpan.FromSeconds(10), CancellationToken.None);
        Assert.Equal(Enumerable.Range(1, count).Select(i => (long)i), all!.Events.Select(e => e.Seq));
        Assert.Null(all.JournalAfter);
        var some = await HistoryPages.ReadAsync(_registry, "paged", 10, 50, TimeSpan.FromSeconds(10), CancellationToken.None);
        Assert.Equal(Enumerable.Range(11, 50).Select(i => (long)i), some!.Events.Select(e => e.Seq));
    }

    [Fact]
    public void Conversations_bigger_than_a_remote_frame_come_in_pages_newest_first_each_row_once()
    {
        const int count = 120;
        var body = new string('é', 1500);
        for (var i = 1; i <= count; i++)
        {
            _registry.Tell(new DeliverInbound("threads", new InboundSms($"+1555100{i:D4}", OurNumber, body, [], $"SMt{i}")));
        }

        for (var i = 1; i <= count; i++)
        {
            Assert.Equal(IngressResult.Stored, ExpectMsg<IngressResult>());
        }

        var rows = new List<long>();
        var before = long.MaxValue;
        var pages = 0;
        ConversationList page;
        do
        {
            _registry.Tell(new GetConversations("threads", before));
            page = ExpectMsg<ConversationList>();
            Assert.InRange(Sys.Serialization.Serialize(page).Length, 1, 128_000 - 16_000);
            Assert.NotEmpty(page.Conversations);
            rows.AddRange(page.Conversations.Select(c => c.LastEvent.Seq));
            before = page.Conversations[^1].LastEvent.Seq;
            pages++;
        }
        while (!page.Complete);

        Assert.True(pages > 1);
        Assert.Equal(Enumerable.Range(1, count).Reverse().Select(i => (long)i), rows);
    }

    private static JsonObject Json(ServerFrame frame) => JsonNode.Parse(frame.Utf8)!.AsObject();

    private static string? Type(ServerFrame frame) => (string?)Json(frame)["type"];
}
