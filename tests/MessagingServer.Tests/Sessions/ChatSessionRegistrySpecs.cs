using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using MessagingServer.Domain.Protocol;
using MessagingServer.Routing;
using MessagingServer.Sessions;
using MessagingServer.Sms;
using Microsoft.Extensions.Options;
using static MessagingServer.Sessions.ChatSessionCommands;

namespace MessagingServer.Tests.Sessions;

public sealed class ChatSessionRegistrySpecs : TestKit
{
    private readonly ScriptedProvider _provider = new();
    private readonly IActorRef _registry;

    // Expectations wait up to 10 s (not TestKit's 3): the test projects start together on two cores, and a
    // passing test never waits for the limit.
    public ChatSessionRegistrySpecs()
        : base("akka.test.single-expect-default = 10s")
    {
        // As the server does at startup: sessions recovering at once must not wait for the scheduler to start.
        MessagingServer.Hosting.SchedulerStart.Run(Sys);
        _registry = StartRegistry("sessions", idleTimeout: TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void Each_user_gets_exactly_one_session()
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
        _registry.Tell(ChatSessionRegistry.GetStats.Instance);
        Assert.Equal(2, ExpectMsg<ChatSessionRegistry.Stats>().Sessions);
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
    public void A_crash_restarts_the_session_keeps_its_sockets_and_its_stored_events()
    {
        var socket = Subscribe("crashy");
        _registry.Tell(new Send("crashy", "+15550001111", "before", null));
        ExpectMsg<SendResult.Accepted>();
        socket.ExpectMsg<ServerFrame>(f => f.Seq == 1);
        socket.ExpectMsg<ServerFrame>(f => f.Seq == 2);

        EventFilter.Exception<InvalidOperationException>().ExpectOne(() =>
        {
            _registry.Tell(new Send("crashy", "+15550001111", "crash", null));
            ExpectMsg<SendResult.Accepted>();
        });
        socket.ExpectMsg<ServerFrame>(f => f.Seq == 3);

        // The restarted session recovered seq 3 and still feeds the same socket. The crashed send had
        // reached the provider call, so it is reported as an unknown outcome rather than sent again.
        var unknown = Json(socket.ExpectMsg<ServerFrame>(f => f.Seq == 4));
        Assert.Equal("failed", (string?)unknown["status"]);
        Assert.Equal("outcome_unknown", (string?)unknown["error"]!["code"]);
        _registry.Tell(new Send("crashy", "+15550001111", "after", null));
        var after = ExpectMsg<SendResult.Accepted>();
        Assert.Equal(5, after.Seq);
        Assert.Equal(3, _provider.Sent.Count);
        socket.ExpectMsg<ServerFrame>(f => f.Seq == after.Seq);
        _registry.Tell(new GetSessionInfo("crashy"));
        Assert.Equal(1, ExpectMsg<SessionInfo>().Subscribers);
    }

    [Fact]
    public async Task An_idle_session_stops_after_its_last_socket_leaves_and_comes_back_intact()
    {
        var socket = Subscribe("idle");
        _registry.Tell(new Send("idle", "+15550001111", "remember me", "keep"));
        ExpectMsg<SendResult.Accepted>();
        var session = await Sys.ActorSelection("/user/sessions/idle").ResolveOne(TimeSpan.FromSeconds(3));
        Watch(session);

        _registry.Tell(new Disconnect("idle", socket.Ref));

        ExpectTerminated(session, TimeSpan.FromSeconds(5));
        _registry.Tell(new Send("idle", "+15550001111", "remember me", "keep"));
        var again = ExpectMsg<SendResult.Accepted>();
        Assert.True(again.Duplicate);
        Assert.Equal(1, again.Seq);
    }

    [Fact]
    public async Task A_message_that_arrives_while_a_session_stops_is_delivered_to_its_successor()
    {
        // Sessions that never passivate by themselves: the only stop is the one asked for below.
        var registry = StartRegistry("patient-sessions", idleTimeout: TimeSpan.FromHours(1));
        registry.Tell(new Send("busy", "+15550001111", "hello", null));
        ExpectMsg<SendResult.Accepted>();
        // Idle once the provider's answer is stored (seq 2): nothing in flight keeps the session from stopping.
        await AwaitAssertAsync(async () =>
            Assert.Equal(2, (await registry.Ask<SessionInfo>(new GetSessionInfo("busy"), TimeSpan.FromSeconds(3))).LastSeq));
        var first = await Sys.ActorSelection("/user/patient-sessions/busy").ResolveOne(TimeSpan.FromSeconds(3));
        var watcher = CreateTestProbe();
        watcher.Watch(first);

        registry.Tell(new ChatSessionRegistry.Passivate("busy"));
        registry.Tell(new GetSessionInfo("busy"));

        // The first incarnation stopped, and the question it never saw was answered by its successor, which
        // recovered both stored events.
        watcher.ExpectTerminated(first);
        var info = ExpectMsg<SessionInfo>();
        Assert.Equal(2, info.LastSeq);
        Assert.Equal(first.Path, LastSender.Path);
        Assert.NotEqual(first, LastSender);
    }

    [Fact]
    public async Task A_session_with_a_socket_refuses_to_passivate()
    {
        var socket = Subscribe("held");
        var session = await Sys.ActorSelection("/user/sessions/held").ResolveOne(TimeSpan.FromSeconds(3));
        Watch(session);

        _registry.Tell(new ChatSessionRegistry.Passivate("held"));
        _registry.Tell(new GetSessionInfo("held"));

        // The same incarnation answers, still holding its socket, and keeps feeding it; a stop would have sent
        // this test a Terminated before any of these answers.
        Assert.Equal(1, ExpectMsg<SessionInfo>().Subscribers);
        Assert.Equal(session, LastSender);
        _registry.Tell(new Send("held", "+15550001111", "still here", null));
        Assert.Equal(1, ExpectMsg<SendResult.Accepted>().Seq);
        socket.ExpectMsg<ServerFrame>(f => f.Seq == 1 && Type(f) == "outbound");
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
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

    private IActorRef StartRegistry(string name, TimeSpan idleTimeout)
    {
        var routing = Options.Create(new RoutingOptions());
        var senders = new SenderNumbers(routing);
        var directory = new ClientDirectory();
        var options = new ChatSessionOptions { SessionIdleTimeout = idleTimeout };
        var metrics = new MessagingServer.Observability.MessagingMetrics(new TestMeterFactory());
        var dependencies = new ChatSessionDependencies(_provider, senders, directory, options, TimeProvider.System, metrics);
        return Sys.ActorOf(ChatSessionRegistry.Props(user => ChatSessionActor.Props(user, dependencies)), name);
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
