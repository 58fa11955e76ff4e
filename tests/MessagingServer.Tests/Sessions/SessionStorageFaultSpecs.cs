using Akka.Actor;
using Akka.Persistence.TestKit;
using Akka.TestKit.Xunit2;
using MessagingServer.Domain.Messages;
using MessagingServer.Domain.Protocol;
using MessagingServer.Routing;
using MessagingServer.Sessions;
using Microsoft.Extensions.Options;
using static MessagingServer.Sessions.ChatSessionCommands;

namespace MessagingServer.Tests.Sessions;

/// <summary>
/// Sessions on Akka.Persistence.TestKit's journal, told to fail or refuse: what a caller is answered, what is kept,
/// and how a session comes back once storage works again.
/// </summary>
public sealed class SessionStorageFaultSpecs : SessionRegionTestKit
{
    private const string Client = "+15550001111";

    private const string TestPersistence = """
        akka.test.single-expect-default = 10s
        akka.persistence.journal.plugin = "akka.persistence.journal.test"
        akka.persistence.journal.test.class = "Akka.Persistence.TestKit.TestJournal, Akka.Persistence.TestKit"
        akka.persistence.journal.test.plugin-dispatcher = "akka.actor.default-dispatcher"
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.test"
        akka.persistence.snapshot-store.test.class = "Akka.Persistence.TestKit.TestSnapshotStore, Akka.Persistence.TestKit"
        akka.persistence.snapshot-store.test.plugin-dispatcher = "akka.actor.default-dispatcher"
        """;

    private readonly ScriptedProvider _provider;
    private readonly ITestJournal _journal;
    private int _regions;

    public SessionStorageFaultSpecs()
        : base(TestPersistence)
    {
        _provider = Provider;
        _journal = TestJournal.FromRef(Akka.Persistence.Persistence.Instance.Apply(Sys).JournalFor(null));
    }

    [Fact]
    public async Task A_write_that_fails_is_answered_unavailable_and_loses_nothing_acknowledged()
    {
        var sessions = Registry(TimeSpan.FromMilliseconds(100));
        var kept = await StoredSendAsync(sessions, "w", "kept", "k1");

        await _journal.OnWrite.Fail();
        sessions.Tell(new Send("w", Client, "lost", "l1"));
        Assert.Equal(ErrorCodes.Unavailable, ExpectMsg<SendResult.Rejected>().Code);
        await _journal.OnWrite.Pass();

        // Back after the registry's backoff, recovered from the journal: the acknowledged send and its status, nothing else.
        var history = await AwaitHistoryAsync(sessions, "w");
        Assert.Equal([(1L, "outbound"), (2L, "status")], history.Events.Select(e => (e.Seq, e.GetType() == typeof(OutboundAccepted) ? "outbound" : "status")));
        Assert.Equal(kept.Id, ((OutboundAccepted)history.Events[0]).Id);
        var retried = await sessions.Ask<SendResult.Accepted>(new Send("w", Client, "lost", "l1"), TimeSpan.FromSeconds(10));
        Assert.Equal((3L, false), (retried.Seq, retried.Duplicate));
        Assert.Single(_provider.Sent, s => s.Body == "lost");
    }

    [Fact]
    public async Task A_recovery_that_fails_is_refused_then_retried_after_a_backoff()
    {
        var first = Registry(TimeSpan.FromMilliseconds(100));
        await StoredSendAsync(first, "r", "before", null);
        Watch(first);
        Sys.Stop(first);
        ExpectTerminated(first);

        var recovery = new FailingRecovery();
        await _journal.OnRecovery.SetInterceptorAsync(recovery);
        var sessions = Registry(TimeSpan.FromSeconds(3));
        var socket = CreateTestProbe();

        // A command that arrives while the recovery fails is not answered (it is lost with the stopping session), so
        // the caller's ask times out: every caller asks with a timeout and treats that as "unavailable".
        await Assert.ThrowsAsync<AskTimeoutException>(() => sessions.Ask<Connected>(new Connect("r", null, socket.Ref), TimeSpan.FromSeconds(1)));
        Assert.Equal(1, recovery.Attempts);
        // Within the backoff the session's supervisor answers at once and does not try the journal again.
        sessions.Tell(new Connect("r", null, socket.Ref));
        Assert.IsType<SessionUnavailableException>(ExpectMsg<Status.Failure>().Cause);
        Assert.Equal(1, recovery.Attempts);

        recovery.Heal();
        var connected = await AwaitConnectedAsync(sessions, "r", socket.Ref);
        Assert.Equal(2, connected.ReplayTo);
        Assert.Equal(1, recovery.Attempts);
    }

    [Fact]
    public async Task A_rejected_event_is_reported_and_never_shown_dispatched_or_counted()
    {
        var sessions = Registry(TimeSpan.FromMilliseconds(100));
        await StoredSendAsync(sessions, "j", "first", null);
        var socket = CreateTestProbe();
        sessions.Tell(new Connect("j", null, socket.Ref));
        ExpectMsg<Connected>();
        Assert.Equal(3, socket.ExpectMsg<FrameBatch>().Frames.Count);

        await _journal.OnWrite.RejectIf(p => p.Payload is OutboundAccepted { Body: "refused" });
        EventFilter.Error(start: "The journal rejected OutboundAccepted").ExpectOne(() => sessions.Tell(new Send("j", Client, "refused", "x1")));
        Assert.Equal(ErrorCodes.Unavailable, ExpectMsg<SendResult.Rejected>().Code);
        await _journal.OnWrite.Pass();

        // The session restarted from the journal: the next send takes the refused one's seq, and the socket stays.
        sessions.Tell(new Send("j", Client, "next", "x2"));
        Assert.Equal(3, ExpectMsg<SendResult.Accepted>().Seq);
        var shown = socket.ExpectMsg<ServerFrame>();
        Assert.Equal(3, shown.Seq);
        Assert.Contains("\"body\":\"next\"", System.Text.Encoding.UTF8.GetString(shown.Utf8), StringComparison.Ordinal);
        Assert.DoesNotContain(_provider.Sent, s => s.Body == "refused");
        var history = await AwaitHistoryAsync(sessions, "j");
        Assert.DoesNotContain(history.Events, e => e is OutboundAccepted { Body: "refused" });
    }

    private IActorRef Registry(TimeSpan minBackoff) => StartRegion($"faulty-sessions-{++_regions}", minBackoff);

    /// <summary>Sends and waits until the send and the provider's answer (<c>sent</c>, seq 2 for a new user) are stored.</summary>
    private async Task<SendResult.Accepted> StoredSendAsync(IActorRef sessions, string user, string body, string? clientRef)
    {
        sessions.Tell(new Send(user, Client, body, clientRef));
        var accepted = ExpectMsg<SendResult.Accepted>();
        await AwaitAssertAsync(async () => Assert.Equal(accepted.Seq + 1, (await sessions.Ask<History>(new GetHistory(user, 0, 100), TimeSpan.FromSeconds(3))).LastSeq));
        return accepted;
    }

    private async Task<History> AwaitHistoryAsync(IActorRef sessions, string user)
    {
        History? history = null;
        await AwaitAssertAsync(async () => history = await sessions.Ask<History>(new GetHistory(user, 0, 100), TimeSpan.FromSeconds(3)));
        return history!;
    }

    private async Task<Connected> AwaitConnectedAsync(IActorRef sessions, string user, IActorRef subscriber)
    {
        Connected? connected = null;
        await AwaitAssertAsync(async () => connected = await sessions.Ask<Connected>(new Connect(user, null, subscriber), TimeSpan.FromSeconds(3)));
        return connected!;
    }

    /// <summary>Fails every recovery that replays an event, counting the attempts, until healed.</summary>
    private sealed class FailingRecovery : IJournalInterceptor
    {
        private int _attempts;
        private volatile bool _healed;

        public int Attempts => Volatile.Read(ref _attempts);

        public void Heal() => _healed = true;

        public Task InterceptAsync(Akka.Persistence.IPersistentRepresentation message)
        {
            if (_healed)
            {
                return Task.CompletedTask;
            }

            Interlocked.Increment(ref _attempts);
            throw new TestJournalFailureException("recovery failed (injected)");
        }
    }
}
