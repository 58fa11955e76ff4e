using System.Text.Json.Nodes;
using Akka.Actor;
using MessagingServer.Domain.Protocol;
using MessagingServer.Sessions;
using MessagingServer.Tests.Sessions;
using MessagingServer.WebSockets;
using static MessagingServer.Sessions.ChatSessionCommands;

namespace MessagingServer.Tests.WebSockets;

public sealed class UserHubSpecs : SessionRegionTestKit
{
    private readonly IActorRef _hubs;

    public UserHubSpecs()
    {
        _hubs = Sys.ActorOf(UserHubs.Props(Region, Options), "hubs");
    }

    [Fact]
    public void Two_sockets_of_a_user_share_one_subscription_and_each_gets_its_replay_then_every_event()
    {
        var phone = Join("pair");
        Region.Tell(new Send("pair", "+15550001111", "one", "r1"));
        ExpectMsg<SendResult.Accepted>();
        phone.ExpectMsg<ServerFrame>(f => f.Seq == 1);
        phone.ExpectMsg<ServerFrame>(f => f.Seq == 2);

        var laptop = Join("pair", since: 0);
        Assert.Equal([0L, 1L, 2L], LastBatch.Frames.Select(f => f.Seq));
        Region.Tell(new GetSessionInfo("pair"));
        Assert.Equal(2, ExpectMsg<SessionInfo>().Subscribers);

        Region.Tell(new Send("pair", "+15550001111", "two", "r2"));
        ExpectMsg<SendResult.Accepted>();
        foreach (var socket in new[] { phone, laptop })
        {
            socket.ExpectMsg<ServerFrame>(f => f.Seq == 3);
            socket.ExpectMsg<ServerFrame>(f => f.Seq == 4);
        }
    }

    [Fact]
    public async Task When_the_session_stops_the_hub_subscribes_again_and_its_sockets_miss_nothing()
    {
        var socket = Join("mover");
        var session = await SessionOf("mover");
        Watch(session);

        session.Tell(PoisonPill.Instance);
        ExpectTerminated(session);
        // Stored while the hub subscribes again: it reaches the socket from the new incarnation's memory or live.
        AwaitAssert(() =>
        {
            Region.Tell(new Send("mover", "+15550001111", "after", "a1"));
            ExpectMsg<SendResult.Accepted>();
        });

        Assert.Equal([1L, 2L], ShownEvents(socket, 2));
        Assert.NotEqual(session, await SessionOf("mover"));
    }

    [Fact]
    public async Task The_last_socket_leaving_stops_the_hub_and_unsubscribes_it()
    {
        var socket = Join("leaver");
        Region.Tell(new GetSessionInfo("leaver"));
        Assert.Equal(1, ExpectMsg<SessionInfo>().Subscribers);

        _hubs.Tell(new UserHubs.Leave("leaver", socket.Ref));

        await AwaitAssertAsync(async () =>
            Assert.Equal(0, (await Region.Ask<SessionInfo>(new GetSessionInfo("leaver"), TimeSpan.FromSeconds(3))).Subscribers));
    }

    private FrameBatch LastBatch { get; set; } = new([]);

    /// <summary>The events a socket shows, as its outbox does: batches unpacked, events it has shown dropped.</summary>
    private static List<long> ShownEvents(Akka.TestKit.TestProbe socket, int count)
    {
        var shown = new List<long>();
        while (shown.Count < count)
        {
            var frames = socket.ReceiveOne() switch
            {
                ServerFrame frame => [frame],
                FrameBatch batch => batch.Frames,
                var other => throw new Xunit.Sdk.XunitException($"unexpected {other}"),
            };
            shown.AddRange(frames.Where(f => f.Seq > (shown.Count == 0 ? 0 : shown[^1])).Select(f => f.Seq));
        }

        return shown;
    }

    private Akka.TestKit.TestProbe Join(string user, long? since = null)
    {
        var socket = CreateTestProbe();
        _hubs.Tell(new UserHubs.Join(user, since, socket.Ref));
        ExpectMsg<Connected>();
        LastBatch = socket.ExpectMsg<FrameBatch>();
        Assert.Equal("welcome", (string?)JsonNode.Parse(LastBatch.Frames[0].Utf8)!["type"]);
        return socket;
    }

    private async Task<IActorRef> SessionOf(string user)
    {
        var probe = CreateTestProbe();
        Region.Tell(new GetSessionInfo(user), probe.Ref);
        await probe.ExpectMsgAsync<SessionInfo>();
        return probe.LastSender;
    }
}
