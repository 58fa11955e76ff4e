using MessagingServer.Domain.Messages;
using MessagingServer.Domain.Sessions;
using static MessagingServer.Tests.Domain.Sessions.SessionSpecData;

namespace MessagingServer.Tests.Domain.Sessions;

/// <summary>A send whose provider answer was lost: looked up until found, or failed as not sent once its window is over.</summary>
public sealed class ReconciliationSpecs
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(5);
    private static readonly SendOutcome.Unknown Lost = new(new ProviderError("timeout", "no answer"));

    private static ChatSessionState Reconciling(string id = "m1")
    {
        var state = new ChatSessionState("u");
        state.StoreSend(id);
        state.Apply(new DispatchStarted(id, At));
        state.ApplyAll(state.DecideProviderAnswer(id, Lost, At.AddSeconds(15)).Events);
        return state;
    }

    private static ChatSessionState Recovered(ChatSessionState state) => ChatSessionState.FromSnapshot(state.ToSnapshot());

    [Fact]
    public void Found_gives_the_send_the_providers_sid_and_status_as_a_status_event()
    {
        var state = Reconciling();

        var decision = state.DecideLookup("m1", new LookupOutcome.Found("SMfound", MessageStatus.Sent), At.AddSeconds(20), At.AddSeconds(21), Window);
        state.ApplyAll(decision.Events);

        Assert.Equal(ReconcileVerdict.Found, decision.Verdict);
        Assert.Equal([new OutboundStatusChanged(2, "m1", MessageStatus.Sent, null, At.AddSeconds(21), "SMfound")], decision.Events);
        Assert.Empty(state.Reconciling());
        Assert.Equal("SMfound", state.FindOutbound("m1")?.ProviderSid);
    }

    [Fact]
    public void Found_still_queued_at_the_provider_is_shown_as_queued_with_its_sid()
    {
        var state = Reconciling();

        var decision = state.DecideLookup("m1", new LookupOutcome.Found("SMq", MessageStatus.Queued), At, At, Window);

        var status = Assert.IsType<OutboundStatusChanged>(Assert.Single(decision.Events));
        Assert.Equal((MessageStatus.Queued, "SMq"), (status.Status, status.ProviderSid));
    }

    [Fact]
    public void Not_found_before_the_deadline_asks_again_and_shows_nothing()
    {
        var state = Reconciling();

        var decision = state.DecideLookup("m1", LookupOutcome.NotFound.Instance, At + Window - TimeSpan.FromSeconds(1), At + Window, Window);

        Assert.Same(ReconcileDecision.Continue, decision);
        Assert.Single(state.Reconciling());
    }

    [Fact]
    public void Not_found_when_asked_at_the_deadline_fails_the_send_as_not_sent()
    {
        var state = Reconciling();

        var decision = state.DecideLookup("m1", LookupOutcome.NotFound.Instance, At + Window, At + Window, Window);
        state.ApplyAll(decision.Events);

        Assert.Equal(ReconcileVerdict.NotSent, decision.Verdict);
        var failed = Assert.IsType<OutboundStatusChanged>(Assert.Single(decision.Events));
        Assert.Equal((MessageStatus.Failed, ChatSessionState.NotSentCode), (failed.Status, failed.Error?.Code));
        Assert.Empty(state.Reconciling());
        Assert.Empty(state.PendingDispatch());
    }

    [Fact]
    public void A_lookup_that_itself_failed_never_counts_as_not_found_however_late()
    {
        var state = Reconciling();

        var decision = state.DecideLookup("m1", new LookupOutcome.Failed(new ProviderError("http_503", "down")), At + Window * 3, At + Window * 3, Window);

        Assert.Same(ReconcileDecision.Continue, decision);
    }

    [Fact]
    public void A_restart_mid_way_carries_on_and_the_deadline_counts_from_the_send_not_the_restart()
    {
        var state = Recovered(Reconciling());
        var restartedAt = At + Window - TimeSpan.FromSeconds(10);

        Assert.Single(state.Reconciling());
        Assert.Empty(state.PendingDispatch());
        Assert.Equal(At + Window, ChatSessionState.ReconcileDeadline(state.Reconciling().Single(), Window));
        Assert.Same(ReconcileDecision.Continue, state.DecideLookup("m1", LookupOutcome.NotFound.Instance, restartedAt, restartedAt, Window));
        Assert.Equal(ReconcileVerdict.NotSent, state.DecideLookup("m1", LookupOutcome.NotFound.Instance, At + Window, At + Window, Window).Verdict);
    }

    [Fact]
    public void Replaying_the_journal_rebuilds_the_lookup_under_way()
    {
        var original = Reconciling();
        var replayed = new ChatSessionState("u");
        replayed.StoreSend("m1");
        replayed.Apply(new DispatchStarted("m1", At));
        replayed.Apply(new ReconcileStarted("m1", Lost.Error, At));

        Assert.Equal(original.Reconciling().Select(r => r.Accepted.Id), replayed.Reconciling().Select(r => r.Accepted.Id));
    }

    [Fact]
    public void A_status_callback_after_reconciling_applies_by_message_and_moves_it_forward()
    {
        var state = Reconciling();
        state.ApplyAll(state.DecideLookup("m1", new LookupOutcome.Found("SMfound", MessageStatus.Queued), At, At, Window).Events);

        var delivered = state.DecideStatus("m1", MessageStatus.Delivered, null, "SMfound", At);

        Assert.Equal(MessageStatus.Delivered, Assert.IsType<StatusDecision.Change>(delivered).Changed.Status);
    }

    [Fact]
    public void A_status_callback_during_the_lookup_settles_it_and_the_late_lookup_answer_changes_nothing()
    {
        var state = Reconciling();
        state.Apply(Assert.IsType<StatusDecision.Change>(state.DecideStatus("m1", MessageStatus.Sent, null, "SMcb", At)).Changed);

        Assert.Empty(state.Reconciling());
        Assert.Same(ReconcileDecision.Settled, state.DecideLookup("m1", new LookupOutcome.Found("SMcb", MessageStatus.Sent), At, At, Window));
        Assert.Same(ReconcileDecision.Settled, state.DecideLookup("m1", LookupOutcome.NotFound.Instance, At + Window, At + Window, Window));
    }

    [Fact]
    public void A_duplicate_answer_stores_nothing_the_second_time()
    {
        var state = Reconciling();
        var found = new LookupOutcome.Found("SMfound", MessageStatus.Sent);
        state.ApplyAll(state.DecideLookup("m1", found, At, At, Window).Events);
        var seq = state.LastSeq;

        Assert.Same(ReconcileDecision.Settled, state.DecideLookup("m1", found, At, At, Window));
        Assert.Empty(state.DecideProviderAnswer("m1", Lost, At).Events);
        Assert.Equal(seq, state.LastSeq);
    }

    [Fact]
    public void A_second_lost_answer_while_looking_up_starts_nothing_new()
    {
        var state = Reconciling();

        Assert.Empty(state.DecideProviderAnswer("m1", Lost, At).Events);
    }

    [Fact]
    public void A_lookup_answer_for_an_unknown_send_changes_nothing()
    {
        Assert.Same(ReconcileDecision.Settled, Reconciling().DecideLookup("other", LookupOutcome.NotFound.Instance, At + Window, At + Window, Window));
    }

    [Theory]
    [InlineData(0, 5)]
    [InlineData(1, 10)]
    [InlineData(2, 20)]
    [InlineData(3, 40)]
    [InlineData(4, 60)]
    [InlineData(30, 60)]
    public void Lookups_back_off_doubling_up_to_the_cap(int attempts, int seconds)
    {
        var delay = ReconcileBackoff.Next(attempts, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(60), At.AddHours(1), At);

        Assert.Equal(TimeSpan.FromSeconds(seconds), delay);
    }

    [Fact]
    public void The_last_lookup_before_the_deadline_waits_only_until_it_and_never_less_than_the_floor()
    {
        Assert.Equal(TimeSpan.FromSeconds(3), ReconcileBackoff.Next(4, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(60), At.AddSeconds(3), At));
        Assert.Equal(ReconcileBackoff.Floor, ReconcileBackoff.Next(4, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(60), At.AddMilliseconds(1), At));
        Assert.Equal(TimeSpan.FromSeconds(60), ReconcileBackoff.Next(4, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(60), At.AddSeconds(-1), At));
    }
}
