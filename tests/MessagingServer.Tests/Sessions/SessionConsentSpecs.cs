using Akka.Actor;
using Akka.TestKit;
using MessagingServer.ClientNumbers;
using MessagingServer.Domain.Protocol;
using MessagingServer.Routing;
using MessagingServer.Sessions;
using static MessagingServer.Sessions.ChatSessionCommands;

namespace MessagingServer.Tests.Sessions;

/// <summary>A session asks the recipient's client number before it stores a send; a probe plays the client number.</summary>
public sealed class SessionConsentSpecs : SessionRegionTestKit
{
    private const string Client = "+15550001111";
    private const string Ours = "+15550000000";

    private readonly TestProbe _numbers;
    private readonly IActorRef? _session;

    public SessionConsentSpecs()
    {
        _numbers = CreateTestProbe();
        var options = new ChatSessionOptions { SessionIdleTimeout = TimeSpan.FromMinutes(5), ConsentCheckTimeout = TimeSpan.FromMilliseconds(500) };
        // The session is a lone actor here, so its sender asks it directly, not through a region.
        var senders = SenderTestRegion.Start(Sys, Provider, () => _session!, typeName: "consent-senders");
        var dependencies = new ChatSessionDependencies(
            () => senders, new SenderNumbers(Microsoft.Extensions.Options.Options.Create(new RoutingOptions())), _numbers.Ref,
            options, TimeProvider.System, new MessagingServer.Observability.MessagingMetrics(new TestMeterFactory()));
        _session = Sys.ActorOf(ChatSessionActor.Props("consent", dependencies));
    }

    [Fact]
    public void Sends_wait_in_order_behind_the_consent_check_in_flight()
    {
        _session.Tell(new Send("consent", Client, "one", "r1"));
        _session.Tell(new Send("consent", Client, "two", "r2"));
        Assert.Equal(new ClientNumberCommands.CheckConsent(Client, Ours), _numbers.ExpectMsg<ClientNumberCommands.CheckConsent>());
        var asker = _numbers.LastSender;
        // The second is not asked about before the first is answered.
        _numbers.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        ExpectNoMsg(TimeSpan.Zero);

        asker.Tell(new ConsentReply(Client, Ours, OptedOut: false));
        Assert.Equal(1, ExpectMsg<SendResult.Accepted>().Seq);
        _numbers.ExpectMsg<ClientNumberCommands.CheckConsent>();
        _numbers.Reply(new ConsentReply(Client, Ours, OptedOut: false));

        var second = ExpectMsg<SendResult.Accepted>();
        Assert.True(second.Seq > 1);
        AwaitAssert(() => Assert.Equal(["one", "two"], Provider.Sent.Select(s => s.Body)));
        // Both claim the number once stored, with no sender to answer.
        var claim = _numbers.FishForMessage<ClientNumberCommands.Claim>(_ => true);
        Assert.Equal(("consent", Client), (claim.UserId, claim.ClientNumber));
    }

    [Fact]
    public void An_opted_out_recipient_is_refused_and_nothing_is_stored_or_sent()
    {
        _session.Tell(new Send("consent", Client, "hello", "r1"));
        _numbers.ExpectMsg<ClientNumberCommands.CheckConsent>();
        _numbers.Reply(new ConsentReply(Client, Ours, OptedOut: true));

        var rejected = ExpectMsg<SendResult.Rejected>();
        Assert.Equal(ErrorCodes.OptedOut, rejected.Code);
        Assert.Equal("r1", rejected.ClientRef);
        _session.Tell(new GetSessionInfo("consent"));
        Assert.Equal(0, ExpectMsg<SessionInfo>().LastSeq);
        Assert.Empty(Provider.Sent);
    }

    [Fact]
    public void A_client_number_that_does_not_answer_in_time_makes_the_send_unavailable_and_the_next_one_goes_on()
    {
        _session.Tell(new Send("consent", Client, "lost", "r1"));
        _session.Tell(new Send("consent", Client, "next", "r2"));
        _numbers.ExpectMsg<ClientNumberCommands.CheckConsent>();

        var rejected = ExpectMsg<SendResult.Rejected>();
        Assert.Equal(ErrorCodes.Unavailable, rejected.Code);
        Assert.Equal("r1", rejected.ClientRef);
        _numbers.ExpectMsg<ClientNumberCommands.CheckConsent>();
        _numbers.Reply(new ConsentReply(Client, Ours, OptedOut: false));
        Assert.Equal(1, ExpectMsg<SendResult.Accepted>().Seq);
        // The provider is called by the sender, once the send is stored and its turn comes.
        AwaitAssert(() => Assert.Equal(["next"], Provider.Sent.Select(s => s.Body)));
    }

    [Fact]
    public void A_repeated_client_ref_is_answered_from_the_session_without_asking_again()
    {
        _session.Tell(new Send("consent", Client, "once", "r1"));
        _numbers.ExpectMsg<ClientNumberCommands.CheckConsent>();
        _numbers.Reply(new ConsentReply(Client, Ours, OptedOut: false));
        ExpectMsg<SendResult.Accepted>();

        _session.Tell(new Send("consent", Client, "once", "r1"));

        Assert.True(ExpectMsg<SendResult.Accepted>().Duplicate);
        _numbers.FishForMessage(m => m is ClientNumberCommands.Claim);
        _numbers.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }
}
