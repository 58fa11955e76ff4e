using MessagingServer.Domain.Messages;
using MessagingServer.Domain.Sessions;
using static MessagingServer.Tests.Domain.Sessions.SessionSpecData;

namespace MessagingServer.Tests.Domain.Sessions;

/// <summary>What comes from the provider: inbound SMS (once per SID, STOP / START) and delivery reports (forward only).</summary>
public sealed class IngressDecisionSpecs
{
    [Fact]
    public void An_inbound_sms_is_stored_as_the_next_seq_with_the_ids_and_time_given()
    {
        var state = new ChatSessionState("u");
        state.StoreSend("m1");

        var decision = state.DecideInbound(Client, Sender, "hello", ["https://x/1.jpg"], "SM1", "in-given", At);

        Assert.False(decision.Duplicate);
        var received = Assert.IsType<InboundReceived>(Assert.Single(decision.Events));
        Assert.Equal((2L, "in-given", Client, "hello", "SM1", At), (received.Seq, received.Id, received.From, received.Body, received.ProviderSid, received.At));
        Assert.Equal(["https://x/1.jpg"], received.Media);
    }

    [Fact]
    public void A_replayed_provider_sid_is_a_duplicate_and_stores_nothing()
    {
        var state = new ChatSessionState("u");
        state.Receive("in1", "SM1");

        var replay = state.DecideInbound(Client, Sender, "yo", [], "SM1", "in2", At);

        Assert.True(replay.Duplicate);
        Assert.Empty(replay.Events);
        Assert.False(state.DecideInbound(Client, Sender, "yo", [], "SM2", "in3", At).Duplicate);
    }

    [Fact]
    public void Inbound_messages_without_a_provider_sid_are_never_taken_for_duplicates()
    {
        var state = new ChatSessionState("u");
        state.Receive("in1", sid: null);

        Assert.False(state.DecideInbound(Client, Sender, "yo", [], null, "in2", At).Duplicate);
    }

    [Theory]
    [InlineData("STOP", true)]
    [InlineData("start", false)]
    public void Stop_and_start_are_recorded_before_the_message_itself(string body, bool optedOut)
    {
        var state = new ChatSessionState("u");
        if (!optedOut)
        {
            state.Apply(new ClientOptedOut(Sender, Client, At));
        }

        var decision = state.DecideInbound(Client, Sender, body, [], "SM1", "in1", At);
        state.ApplyAll(decision.Events);

        Assert.Equal(2, decision.Events.Count);
        Assert.IsType(optedOut ? typeof(ClientOptedOut) : typeof(ClientOptedIn), decision.Events[0]);
        Assert.IsType<InboundReceived>(decision.Events[1]);
        Assert.Equal(optedOut, state.IsOptedOut(Sender, Client));
    }

    [Fact]
    public void An_ordinary_message_records_no_consent_change()
    {
        var state = new ChatSessionState("u");

        var decision = state.DecideInbound(Client, Sender, "stop by at noon?", [], "SM1", "in1", At);

        Assert.IsType<InboundReceived>(Assert.Single(decision.Events));
    }

    [Fact]
    public void A_report_for_an_unknown_message_is_ignored()
    {
        var state = new ChatSessionState("u");

        Assert.Same(StatusDecision.UnknownMessage.Instance, state.DecideStatus("nope", MessageStatus.Delivered, null, "SM1", At));
    }

    [Fact]
    public void A_report_that_moves_a_message_forward_is_stored_as_the_next_seq()
    {
        var state = new ChatSessionState("u");
        state.StoreSend("m1");

        var change = Assert.IsType<StatusDecision.Change>(state.DecideStatus("m1", MessageStatus.Sent, null, "SMp", At));

        Assert.Equal(new OutboundStatusChanged(2, "m1", MessageStatus.Sent, null, At, "SMp"), change.Changed);
    }

    [Theory]
    [InlineData(MessageStatus.Delivered, MessageStatus.Sent)]
    [InlineData(MessageStatus.Delivered, MessageStatus.Delivered)]
    [InlineData(MessageStatus.Sent, MessageStatus.Queued)]
    [InlineData(MessageStatus.Failed, MessageStatus.Delivered)]
    public void A_report_going_backwards_or_repeated_changes_nothing(MessageStatus current, MessageStatus reported)
    {
        var state = new ChatSessionState("u");
        state.StoreSend("m1");
        state.Apply(new OutboundStatusChanged(2, "m1", current, null, At));

        Assert.Same(StatusDecision.NoChange.Instance, state.DecideStatus("m1", reported, null, null, At));
    }

    [Theory]
    [InlineData(MessageStatus.Sent, true)]
    [InlineData(MessageStatus.Delivered, true)]
    [InlineData(MessageStatus.Undelivered, true)]
    [InlineData(MessageStatus.Failed, false)]
    [InlineData(MessageStatus.Queued, false)]
    public void A_send_given_up_as_outcome_unknown_in_an_old_journal_may_still_turn_out_to_have_gone(MessageStatus reported, bool moves)
    {
        var state = new ChatSessionState("u");
        state.StoreSend("m1");
        state.Apply(new OutboundStatusChanged(2, "m1", MessageStatus.Failed, new ProviderError(ChatSessionState.OutcomeUnknownCode, "no answer"), At));
        Assert.Equal(MessageStatus.Failed, state.FindOutbound("m1")?.Status);

        var decision = state.DecideStatus("m1", reported, null, "SMlate", At);

        Assert.Equal(moves, decision is StatusDecision.Change);
    }
}
