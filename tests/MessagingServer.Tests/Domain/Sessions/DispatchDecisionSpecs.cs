using MessagingServer.Domain.Messages;
using MessagingServer.Domain.Sessions;
using static MessagingServer.Tests.Domain.Sessions.SessionSpecData;

namespace MessagingServer.Tests.Domain.Sessions;

/// <summary>The sender's turn (go / no-go) and what the provider's answer stores.</summary>
public sealed class DispatchDecisionSpecs
{
    private static readonly ProviderError Refusal = new("21211", "invalid 'To' number");

    private static ChatSessionState WithSend(string id = "m1")
    {
        var state = new ChatSessionState("u");
        state.StoreSend(id);
        return state;
    }

    [Fact]
    public void A_stored_send_never_started_gets_a_go_recorded_as_call_started()
    {
        var state = WithSend();

        Assert.Equal(new DispatchStarted("m1", At), state.DecideStartCall("m1", At));
    }

    [Fact]
    public void A_send_already_started_gets_no_second_go()
    {
        var state = WithSend();
        state.Apply(state.DecideStartCall("m1", At)!);

        Assert.Null(state.DecideStartCall("m1", At));
    }

    [Fact]
    public void An_unknown_or_answered_send_gets_no_go()
    {
        var state = WithSend();
        state.Apply(new OutboundStatusChanged(2, "m1", MessageStatus.Failed, Refusal, At));

        Assert.Null(state.DecideStartCall("m1", At));
        Assert.Null(state.DecideStartCall("never-stored", At));
    }

    [Fact]
    public void An_acceptance_that_moves_the_status_forward_is_stored_as_a_visible_status()
    {
        var state = WithSend();

        var decision = state.DecideProviderAnswer("m1", new SendOutcome.Accepted("SMp", MessageStatus.Sent), At);

        Assert.Equal([new OutboundStatusChanged(2, "m1", MessageStatus.Sent, null, At, "SMp")], decision.Events);
        Assert.Null(decision.RecipientOptedOut);
    }

    [Fact]
    public void A_queued_acceptance_is_stored_unseen_so_that_after_a_restart_the_send_is_known_to_have_gone()
    {
        var state = WithSend();

        var decision = state.DecideProviderAnswer("m1", new SendOutcome.Accepted("SMp", MessageStatus.Queued), At);
        state.ApplyAll(decision.Events);

        Assert.Equal([new DispatchAccepted("m1", "SMp", MessageStatus.Queued, At)], decision.Events);
        Assert.Empty(state.PendingDispatch());
        Assert.Null(state.DecideStartCall("m1", At));
    }

    [Fact]
    public void A_refusal_fails_the_send_with_the_providers_error()
    {
        var state = WithSend();

        var decision = state.DecideProviderAnswer("m1", new SendOutcome.Rejected(Refusal), At);

        Assert.Equal([new OutboundStatusChanged(2, "m1", MessageStatus.Failed, Refusal, At)], decision.Events);
        Assert.Null(decision.RecipientOptedOut);
    }

    [Fact]
    public void A_refusal_because_the_recipient_opted_out_records_the_opt_out_first_and_reports_it()
    {
        var state = WithSend();

        var decision = state.DecideProviderAnswer("m1", new SendOutcome.Rejected(Refusal, RecipientOptedOut: true), At);
        state.ApplyAll(decision.Events);

        var optOut = new ClientOptedOut(Sender, Client, At);
        Assert.Equal(optOut, decision.Events[0]);
        Assert.IsType<OutboundStatusChanged>(decision.Events[1]);
        Assert.Equal(optOut, decision.RecipientOptedOut);
        Assert.True(state.IsOptedOut(Sender, Client));
    }

    [Fact]
    public void No_answer_starts_a_lookup_shows_nothing_and_the_send_is_never_sent_again()
    {
        var state = WithSend();

        var decision = state.DecideProviderAnswer("m1", new SendOutcome.Unknown(new ProviderError("timeout", "read timed out")), At);
        state.ApplyAll(decision.Events);

        var started = Assert.IsType<ReconcileStarted>(Assert.Single(decision.Events));
        Assert.Equal(("m1", "timeout"), (started.Id, started.Reason.Code));
        Assert.Equal(1, state.LastSeq);
        Assert.Empty(state.PendingDispatch());
        Assert.Equal(MessageStatus.Queued, state.FindOutbound("m1")?.Status);
        Assert.Single(state.Reconciling());
    }

    [Fact]
    public void An_answer_for_an_unknown_send_stores_nothing()
    {
        var state = WithSend();

        Assert.Empty(state.DecideProviderAnswer("other", new SendOutcome.Accepted("SMp", MessageStatus.Sent), At).Events);
    }

    [Theory]
    [MemberData(nameof(Answers))]
    public void A_second_answer_after_the_first_is_stored_shows_nothing_new(SendOutcome answer)
    {
        var state = WithSend();
        state.ApplyAll(state.DecideProviderAnswer("m1", answer, At).Events);
        var seq = state.LastSeq;

        var second = state.DecideProviderAnswer("m1", answer, At);
        state.ApplyAll(second.Events);

        Assert.DoesNotContain(second.Events, e => e is ISequencedEvent);
        Assert.Equal(seq, state.LastSeq);
    }

    public static TheoryData<SendOutcome> Answers() =>
    [
        new SendOutcome.Accepted("SMp", MessageStatus.Sent),
        new SendOutcome.Accepted("SMp", MessageStatus.Queued),
        new SendOutcome.Rejected(Refusal),
        new SendOutcome.Unknown(new ProviderError("timeout", "no answer")),
    ];

    [Fact]
    public void Calls_are_answered_once_and_a_duplicate_answer_is_dropped()
    {
        var calls = new PendingCalls();

        Assert.True(calls.Add("m1", "corr-1"));
        Assert.False(calls.Add("m1", "corr-1"));
        Assert.True(calls.Answer("m1"));
        Assert.False(calls.Answer("m1"));
        Assert.False(calls.Answer("never-asked"));
        Assert.Equal(0, calls.Count);
    }

    [Fact]
    public void Unanswered_calls_are_asked_for_again_and_settled_ones_are_dropped()
    {
        var state = new ChatSessionState("u");
        state.StoreSend("m1");
        state.StoreSend("m2");
        var calls = new PendingCalls();
        calls.Add("m1", "corr-1");
        calls.Add("m2", "corr-2");
        calls.Add("gone", null);
        state.ApplyAll(state.DecideProviderAnswer("m2", new SendOutcome.Accepted("SMp", MessageStatus.Queued), At).Events);

        var again = calls.ToAskAgain(state, out var settled);

        Assert.Equal([("m1", (string?)"corr-1")], again.Select(a => (a.Record.Accepted.Id, a.CorrelationId)));
        Assert.Equal(2, settled);
        Assert.Equal(1, calls.Count);
    }
}
