using System.Collections.Concurrent;
using System.Diagnostics;
using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using MessagingServer.Senders;
using MessagingServer.Sms;
using MessagingServer.Tests.Sessions;
using Microsoft.Extensions.Logging.Abstractions;

namespace MessagingServer.Tests.Senders;

/// <summary>
/// A sender entity on the real clock, with a probe for the session region that stores "call started" at once: it
/// calls only after the session confirmed, in fair turns, and never twice for one message id.
/// </summary>
public sealed class SenderActorSpecs : TestKit
{
    private const string From = "+15550000001";

    private readonly ScriptedProvider _provider = new();
    private readonly TestProbe _sessions;
    private readonly ConcurrentDictionary<string, TimeSpan> _called = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public SenderActorSpecs()
        : base("akka.test.single-expect-default = 10s")
    {
        _sessions = CreateTestProbe("sessions");
    }

    private IActorRef StartSender(double perSecond, bool confirm = true)
    {
        var dependencies = new SenderDependencies(
            _provider, SenderLimits.PerSecond(perSecond, 4, 1000), TimeProvider.System, () => _sessions.Ref, NullLoggerFactory.Instance);
        var sender = Sys.ActorOf(SenderActor.Props(From, dependencies));
        _sessions.SetAutoPilot(new DelegateAutoPilot((_, message) =>
        {
            if (message is StartCall start)
            {
                _called[start.MessageId] = _clock.Elapsed;
                if (confirm)
                {
                    sender.Tell(new CallCleared(From, start.MessageId, Go: true));
                }
            }

            return AutoPilot.KeepRunning;
        }));
        return sender;
    }

    private static DispatchSms Sms(string user, int i, bool outcomeOnly = false) =>
        new(From, user, $"{user}-{i}", "+15550001111", $"{user} {i}", OutcomeOnly: outcomeOnly);

    [Fact]
    public void At_one_a_second_one_user_s_burst_of_29_lets_another_user_s_send_take_one_of_the_first_turns()
    {
        var sender = StartSender(perSecond: 1);
        for (var i = 0; i < 29; i++)
        {
            sender.Tell(Sms("A", i));
        }

        sender.Tell(Sms("B", 0));

        AwaitCondition(() => _provider.Sent.Any(s => s.MessageId == "B-0"), TimeSpan.FromSeconds(5));
        // A-0 goes at once; A-1 may arrive (and queue) before B-0 does, so B-0 has the second or third turn, not the
        // 30th. (How long a turn takes is SenderQueueSpecs' business, on a fake clock; here the order is the point.)
        Assert.Contains("B-0", _provider.Sent.Select(s => s.MessageId).Take(3));
    }

    [Fact]
    public void The_provider_is_called_only_after_the_session_confirmed_the_start_and_the_answer_goes_to_the_session()
    {
        var sender = StartSender(perSecond: 100, confirm: false);
        sender.Tell(Sms("A", 0));
        AwaitCondition(() => _called.ContainsKey("A-0"));
        Thread.Sleep(200);
        Assert.Empty(_provider.Sent);

        sender.Tell(new CallCleared(From, "A-0", Go: true));
        AwaitCondition(() => _provider.Sent.Count == 1);
        var result = _sessions.FishForMessage<DispatchResult>(_ => true);
        Assert.Equal(DispatchResultKind.Accepted, result.Kind);
        Assert.Equal("SMA-0", result.ProviderSid);
    }

    [Fact]
    public void A_retried_dispatch_is_answered_again_and_never_sent_twice()
    {
        var sender = StartSender(perSecond: 100);
        sender.Tell(Sms("A", 0));
        Assert.Equal("A-0", _sessions.FishForMessage<DispatchResult>(_ => true).MessageId);

        sender.Tell(Sms("A", 0));
        sender.Tell(Sms("A", 0, outcomeOnly: true));

        Assert.Equal(DispatchResultKind.Accepted, _sessions.FishForMessage<DispatchResult>(_ => true).Kind);
        Assert.Equal(DispatchResultKind.Accepted, _sessions.FishForMessage<DispatchResult>(_ => true).Kind);
        Assert.Single(_provider.Sent);
    }

    [Fact]
    public void A_call_it_knows_nothing_about_is_unknown_and_a_refused_start_is_not_called()
    {
        var sender = StartSender(perSecond: 100, confirm: false);
        sender.Tell(Sms("A", 7, outcomeOnly: true));
        Assert.Equal(DispatchResultKind.Unknown, _sessions.FishForMessage<DispatchResult>(_ => true).Kind);

        sender.Tell(Sms("A", 8));
        AwaitCondition(() => _called.ContainsKey("A-8"));
        _sessions.FishForMessage<StartCall>(s => s.MessageId == "A-8");
        sender.Tell(new CallCleared(From, "A-8", Go: false));
        _sessions.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        Assert.Empty(_provider.Sent);
    }
}
