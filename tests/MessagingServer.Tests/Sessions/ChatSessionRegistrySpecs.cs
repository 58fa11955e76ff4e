using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.TestKit.Xunit2;
using MessagingServer.Domain.Messages;
using MessagingServer.Domain.Protocol;
using MessagingServer.Routing;
using MessagingServer.Sessions;
using MessagingServer.Sms;
using Microsoft.Extensions.Options;
using static MessagingServer.Sessions.ChatSessionCommands;

namespace MessagingServer.Tests.Sessions;

/// <summary>The session region as the server runs it: a cluster of one, sessions as sharded entities under back-off.</summary>
public sealed class ChatSessionRegistrySpecs : SessionRegionTestKit
{
    private readonly ScriptedProvider _provider;
    private readonly IActorRef _registry;

    public ChatSessionRegistrySpecs()
    {
        _provider = Provider;
        _registry = Region;
    }

    [Fact]
    public async Task Each_user_gets_exactly_one_session()
    {
        var first = CreateTestProbe();
        var second = CreateTestProbe();
        var other = CreateTestProbe();

        _registry.Tell(new Connect("u1", null, first.Ref));
        ExpectMsg<Connected>();
        _registry.Tell(new Connect("u1", null, second.Ref));
        ExpectMsg<Connected>();
        _registry.Tell(new Connect("u2", null, other.Ref));
        ExpectMsg<Connected>();

        _registry.Tell(new GetSessionInfo("u1"));
        Assert.Equal(2, ExpectMsg<SessionInfo>().Subscribers);
        Assert.Equal(2, await ChatSessionRegistry.CountHostedAsync(_registry, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void Every_subscriber_gets_every_event_in_order()
    {
        var phone = Subscribe("fan");
        var laptop = Subscribe("fan");

        _registry.Tell(new Send("fan", "+15550001111", "one", "r1"));
        var accepted = ExpectMsg<SendResult.Accepted>();
        Assert.False(accepted.Duplicate);

        foreach (var probe in new[] { phone, laptop })
        {
            Assert.Equal("outbound", Type(probe.ExpectMsg<ServerFrame>()));
            var sent = probe.ExpectMsg<ServerFrame>();
            Assert.Equal("status", Type(sent));
            Assert.Equal(2, sent.Seq);
        }

        Assert.Single(_provider.Sent);
    }

    [Fact]
    public void A_provider_that_throws_gives_an_unknown_outcome_that_is_looked_up_and_the_send_is_not_made_again()
    {
        _provider.Lookups.Enqueue(LookupOutcome.NotFound.Instance);
        _provider.Lookups.Enqueue(new LookupOutcome.Found("SMfound", MessageStatus.Sent));
        var socket = Subscribe("crashy");
        _registry.Tell(new Send("crashy", "+15550001111", "before", null));
        ExpectMsg<SendResult.Accepted>();
        socket.ExpectMsg<ServerFrame>(f => f.Seq == 1);
        socket.ExpectMsg<ServerFrame>(f => f.Seq == 2);

        _registry.Tell(new Send("crashy", "+15550001111", "crash", null));
        ExpectMsg<SendResult.Accepted>();
        socket.ExpectMsg<ServerFrame>(f => f.Seq == 3);

        // The provider threw inside the sender, after the call had started: an unknown outcome, never a resend. The
        // session looks it up (not found the first time) and shows what the provider has.
        var found = Json(socket.ExpectMsg<ServerFrame>(f => f.Seq == 4));
        Assert.Equal("sent", (string?)found["status"]);
        Assert.Equal(2, _provider.LookedUp.Count);
        _registry.Tell(new Send("crashy", "+15550001111", "after", null));
        var after = ExpectMsg<SendResult.Accepted>();
        Assert.Equal(5, after.Seq);
        socket.ExpectMsg<ServerFrame>(f => f.Seq == after.Seq);
        socket.ExpectMsg<ServerFrame>(f => f.Seq == 6);
        Assert.Equal(3, _provider.Sent.Count);
        _registry.Tell(new GetSessionInfo("crashy"));
        Assert.Equal(1, ExpectMsg<SessionInfo>().Subscribers);
    }

    [Fact]
    public void An_idle_session_stops_after_its_last_socket_leaves_and_comes_back_intact()
    {
        var socket = Subscribe("idle");
        _registry.Tell(new Send("idle", "+15550001111", "remember me", "keep"));
        ExpectMsg<SendResult.Accepted>();
        var session = SessionOf("idle");
        Watch(session);

        _registry.Tell(new Disconnect("idle", socket.Ref));

        ExpectTerminated(session);
        _registry.Tell(new Send("idle", "+15550001111", "remember me", "keep"));
        var again = ExpectMsg<SendResult.Accepted>();
        Assert.True(again.Duplicate);
        Assert.Equal(1, again.Seq);
        Assert.NotEqual(session, LastSender);
    }

    [Fact]
    public async Task A_message_that_arrives_while_a_session_stops_is_delivered_to_its_successor()
    {
        _registry.Tell(new Send("busy", "+15550001111", "hello", null));
        ExpectMsg<SendResult.Accepted>();
        var session = SessionOf("busy");
        Watch(session);

        // The provider's answer stored first (seq 2): an answer to a stopped session would be looked up instead,
        // which is another spec's story.
        AwaitAssert(() =>
        {
            _registry.Tell(new GetSessionInfo("busy"));
            Assert.Equal(2, ExpectMsg<SessionInfo>().LastSeq);
        });

        // What the session itself sends when idle, on its behalf: the shard stops it and buffers what comes meanwhile.
        var supervisor = await Sys.ActorSelection(session.Path.Parent).ResolveOne(TimeSpan.FromSeconds(5));
        Sys.ActorSelection(session.Path.Parent.Parent).Tell(new Passivate(ChatSessionActor.StopSession.Instance), supervisor);
        _registry.Tell(new GetSessionInfo("busy"));

        // The old session's end and the successor's answer, in either order.
        IActorRef? successor = null;
        SessionInfo? info = null;
        var terminated = false;
        for (var i = 0; i < 2; i++)
        {
            switch (ReceiveOne())
            {
                case SessionInfo answer:
                    (info, successor) = (answer, LastSender);
                    break;
                case Terminated t when t.ActorRef.Equals(session):
                    terminated = true;
                    break;
            }
        }

        Assert.True(terminated);
        Assert.NotNull(successor);
        Assert.NotEqual(session, successor);
        Assert.Equal(2, info!.LastSeq);
    }

    [Fact]
    public void A_session_with_a_socket_stays_past_its_idle_timeout()
    {
        var socket = Subscribe("held");
        var session = SessionOf("held");
        Watch(session);

        // Three idle timeouts pass with the socket connected: the session neither stops nor tells the socket anything.
        ExpectNoMsg(TimeSpan.FromMilliseconds(900));
        socket.ExpectNoMsg(TimeSpan.FromMilliseconds(10));

        _registry.Tell(new Disconnect("held", socket.Ref));
        ExpectTerminated(session);
    }

    [Fact]
    public void A_session_told_to_stop_does_not_wait_for_its_sender_and_its_successor_stores_the_answer()
    {
        var socket = Subscribe("handoff");
        _registry.Tell(new Send("handoff", "+15550001111", "held", "h1"));
        ExpectMsg<SendResult.Accepted>();
        socket.ExpectMsg<ServerFrame>(f => f.Seq == 1);
        AwaitCondition(() => _provider.Sent.Count == 1);
        var session = SessionOf("handoff");
        Watch(session);

        // As the shard does on hand-off: the stop message to the entity, with the provider call still open at the sender.
        Sys.ActorSelection(session.Path.Parent).Tell(ChatSessionActor.StopSession.Instance);
        socket.ExpectMsg<SessionEnded>();
        ExpectTerminated(session);

        // The answer goes to the session's region: the successor recovers and stores it.
        _provider.Held.SetResult(new SendOutcome.Accepted("SMheld", MessageStatus.Sent));
        AwaitAssert(() =>
        {
            _registry.Tell(new GetSessionInfo("handoff"));
            Assert.Equal(2, ExpectMsg<SessionInfo>().LastSeq);
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(200));
        Assert.Single(_provider.Sent);
    }

    [Fact]
    public void A_permanent_refusal_fails_the_message_and_an_opt_out_blocks_later_sends()
    {
        var socket = Subscribe("refused");

        _registry.Tell(new Send("refused", "+15550001111", "opted-out", null));
        ExpectMsg<SendResult.Accepted>();
        socket.ExpectMsg<ServerFrame>(f => Type(f) == "outbound");
        var failed = Json(socket.ExpectMsg<ServerFrame>());
        Assert.Equal("failed", (string?)failed["status"]);
        Assert.Equal("21610", (string?)failed["error"]!["code"]);

        _registry.Tell(new Send("refused", "+15550001111", "again", "r2"));
        var rejected = ExpectMsg<SendResult.Rejected>();
        Assert.Equal(ErrorCodes.OptedOut, rejected.Code);
        Assert.Equal("r2", rejected.ClientRef);
        Assert.Single(_provider.Sent);
    }

    [Fact]
    public void A_stop_for_the_sender_number_blocks_every_user_who_sends_from_it_and_a_start_lifts_it()
    {
        const string client = "+15550003333";
        const string shared = "+15550000000";
        ClientNumbers.Tell(new MessagingServer.ClientNumbers.ClientNumberCommands.SetConsent(client, shared, OptedOut: true, DateTimeOffset.UtcNow));
        ExpectMsg<MessagingServer.ClientNumbers.ConsentReply>();

        foreach (var user in new[] { "desk-a", "desk-b" })
        {
            _registry.Tell(new Send(user, client, "hello", "r-" + user));
            Assert.Equal(ErrorCodes.OptedOut, ExpectMsg<SendResult.Rejected>().Code);
        }

        Assert.Empty(_provider.Sent);
        ClientNumbers.Tell(new MessagingServer.ClientNumbers.ClientNumberCommands.SetConsent(client, shared, OptedOut: false, DateTimeOffset.UtcNow));
        ExpectMsg<MessagingServer.ClientNumbers.ConsentReply>();
        _registry.Tell(new Send("desk-b", client, "welcome back", null));
        ExpectMsg<SendResult.Accepted>();
    }

    [Fact]
    public void A_stored_send_makes_its_user_the_last_writer_of_the_client()
    {
        _registry.Tell(new Send("writer", "+15550004444", "hi", null));
        ExpectMsg<SendResult.Accepted>();

        AwaitAssert(() =>
        {
            ClientNumbers.Tell(new MessagingServer.ClientNumbers.ClientNumberCommands.GetLastWriter("+15550004444"));
            Assert.Equal("writer", ExpectMsg<MessagingServer.ClientNumbers.LastWriterReply>().UserId);
        });
    }

    /// <summary>The session actor itself: it answers queries, so the answer's sender is it.</summary>
    private IActorRef SessionOf(string user)
    {
        _registry.Tell(new GetSessionInfo(user));
        ExpectMsg<SessionInfo>();
        return LastSender;
    }

    private Akka.TestKit.TestProbe Subscribe(string user)
    {
        var probe = CreateTestProbe();
        _registry.Tell(new Connect(user, null, probe.Ref));
        ExpectMsg<Connected>();
        Assert.Equal("welcome", Type(probe.ExpectMsg<FrameBatch>().Frames[0]));
        return probe;
    }

    private static JsonObject Json(ServerFrame frame) => JsonNode.Parse(frame.Utf8)!.AsObject();

    private static string? Type(ServerFrame frame) => (string?)Json(frame)["type"];
}
