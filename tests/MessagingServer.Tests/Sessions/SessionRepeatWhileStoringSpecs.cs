using Akka.Actor;
using Akka.Persistence;
using Akka.Persistence.TestKit;
using MessagingServer.Domain.Messages;
using MessagingServer.Domain.Protocol;
using MessagingServer.Sessions;
using MessagingServer.Sms;
using static MessagingServer.Sessions.ChatSessionCommands;

namespace MessagingServer.Tests.Sessions;

/// <summary>
/// A repeat (a send with a known clientRef, a webhook with a known MessageSid) that arrives while the first is still
/// being written: it must not be acknowledged before the first is stored, and is refused when that write fails.
/// This is how the cluster kill -9 test lost an acknowledged send: a client retried a send whose first attempt was
/// still in the journal, was told "accepted" at once, and that write then failed (a whole journal batch failed
/// together), so the 202 pointed at nothing stored.
/// </summary>
public sealed class SessionRepeatWhileStoringSpecs : SessionRegionTestKit
{
    private const string Client = "+15550001111";

    private const string TestPersistence = """
        akka.persistence.journal.plugin = "akka.persistence.journal.test"
        akka.persistence.journal.test.class = "Akka.Persistence.TestKit.TestJournal, Akka.Persistence.TestKit"
        akka.persistence.journal.test.plugin-dispatcher = "akka.actor.default-dispatcher"
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.test"
        akka.persistence.snapshot-store.test.class = "Akka.Persistence.TestKit.TestSnapshotStore, Akka.Persistence.TestKit"
        akka.persistence.snapshot-store.test.plugin-dispatcher = "akka.actor.default-dispatcher"
        """;

    private readonly ITestJournal _journal;

    public SessionRepeatWhileStoringSpecs()
        : base(TestPersistence)
    {
        _journal = TestJournal.FromRef(Akka.Persistence.Persistence.Instance.Apply(Sys).JournalFor(null));
    }

    [Fact]
    public async Task A_repeated_send_is_refused_when_the_first_attempts_write_fails()
    {
        var sessions = StartRegion("repeat-sends", TimeSpan.FromMilliseconds(100));
        var held = new HeldWrite(p => p.Payload is OutboundAccepted { Body: "held" });
        await _journal.OnWrite.SetInterceptorAsync(held);
        var first = CreateTestProbe();
        var repeat = CreateTestProbe();

        sessions.Tell(new Send("s", Client, "held", "c1"), first.Ref);
        await held.Reached.WaitAsync(TimeSpan.FromSeconds(10));
        sessions.Tell(new Send("s", Client, "held", "c1"), repeat.Ref);
        held.Fail();

        Assert.Equal(ErrorCodes.Unavailable, first.ExpectMsg<SendResult.Rejected>().Code);
        Assert.Equal(ErrorCodes.Unavailable, repeat.ExpectMsg<SendResult.Rejected>().Code);
        await _journal.OnWrite.Pass();

        // Nothing was stored, so the retry is a new send (seq 1), sent once.
        SendResult.Accepted? retried = null;
        await AwaitAssertAsync(async () => retried = await sessions.Ask<SendResult.Accepted>(new Send("s", Client, "held", "c1"), TimeSpan.FromSeconds(3)));
        Assert.Equal((1L, false), (retried!.Seq, retried.Duplicate));
        await AwaitAssertAsync(() => Assert.Single(Provider.Sent, s => s.Body == "held"));
    }

    [Fact]
    public async Task A_repeated_send_is_acknowledged_once_the_first_is_stored()
    {
        var sessions = StartRegion("repeat-sends-stored", TimeSpan.FromMilliseconds(100));
        var held = new HeldWrite(p => p.Payload is OutboundAccepted { Body: "slow" });
        await _journal.OnWrite.SetInterceptorAsync(held);
        var first = CreateTestProbe();
        var repeat = CreateTestProbe();

        sessions.Tell(new Send("t", Client, "slow", "c2"), first.Ref);
        await held.Reached.WaitAsync(TimeSpan.FromSeconds(10));
        sessions.Tell(new Send("t", Client, "slow", "c2"), repeat.Ref);
        held.Release();

        var stored = first.ExpectMsg<SendResult.Accepted>();
        var answered = repeat.ExpectMsg<SendResult.Accepted>();
        Assert.Equal((stored.Id, stored.Seq, true), (answered.Id, answered.Seq, answered.Duplicate));
    }

    [Fact]
    public async Task A_repeated_webhook_is_not_answered_stored_when_the_first_write_fails()
    {
        var sessions = StartRegion("repeat-inbound", TimeSpan.FromMilliseconds(100));
        var held = new HeldWrite(p => p.Payload is InboundReceived { Body: "held" });
        await _journal.OnWrite.SetInterceptorAsync(held);
        var first = CreateTestProbe();
        var repeat = CreateTestProbe();
        var sms = new DeliverInbound("u", new InboundSms(Client, "+15550002222", "held", [], "SMheld"));

        sessions.Tell(sms, first.Ref);
        await held.Reached.WaitAsync(TimeSpan.FromSeconds(10));
        sessions.Tell(sms, repeat.Ref);
        held.Fail();

        first.ExpectMsg(IngressResult.Unavailable);
        repeat.ExpectMsg(IngressResult.Unavailable);
        await _journal.OnWrite.Pass();

        // Twilio retries: now it is stored, once.
        await AwaitAssertAsync(async () => Assert.Equal(IngressResult.Stored, await sessions.Ask<IngressResult>(sms, TimeSpan.FromSeconds(3))));
        var history = await sessions.Ask<History>(new GetHistory("u", 0, 100), TimeSpan.FromSeconds(3));
        Assert.Single(history.Events, e => e is InboundReceived);
    }

    /// <summary>Holds the first write that matches until told to let it through or to fail it.</summary>
    private sealed class HeldWrite(Func<IPersistentRepresentation, bool> holds) : IJournalInterceptor
    {
        private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource<bool> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _held;

        public Task Reached => _reached.Task;

        public void Release() => _outcome.TrySetResult(true);

        public void Fail() => _outcome.TrySetResult(false);

        public async Task InterceptAsync(IPersistentRepresentation message)
        {
            if (!holds(message) || Interlocked.Exchange(ref _held, 1) == 1)
            {
                return;
            }

            _reached.TrySetResult();
            if (!await _outcome.Task)
            {
                throw new TestJournalFailureException("write failed (injected)");
            }
        }
    }
}
