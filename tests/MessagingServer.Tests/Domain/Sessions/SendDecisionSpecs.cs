using MessagingServer.Domain.Messages;
using MessagingServer.Domain.Protocol;
using MessagingServer.Domain.Sessions;
using static MessagingServer.Tests.Domain.Sessions.SessionSpecData;

namespace MessagingServer.Tests.Domain.Sessions;

/// <summary>What the session's state decides for a send: budget, clientRef dedup, consent.</summary>
public sealed class SendDecisionSpecs
{
    [Fact]
    public void A_new_send_needs_the_recipients_consent_first()
    {
        var state = new ChatSessionState("u");

        Assert.Same(SendDecision.CheckConsent.Instance, state.DecideSend("r1"));
        Assert.Same(SendDecision.CheckConsent.Instance, state.DecideSend(clientRef: null));
    }

    [Fact]
    public void A_consented_send_is_stored_queued_as_the_next_seq_with_the_ids_and_time_given()
    {
        var state = new ChatSessionState("u");
        state.Receive("in1", "SM1");

        var store = Assert.IsType<SendDecision.Store>(state.DecideConsented(Sender, Client, "hello", "r1", optedOut: false, "m-given", At));

        Assert.Equal(new OutboundAccepted(2, "m-given", "r1", Sender, Client, "hello", At, MessageStatus.Queued, SmsSegments.Gsm7, 1), store.Accepted);
        Assert.Equal(1, state.LastSeq); // deciding stores nothing
    }

    [Fact]
    public void A_repeated_client_ref_is_answered_with_the_first_send_and_sends_nothing()
    {
        var state = new ChatSessionState("u");
        var first = state.StoreSend("m1", clientRef: "r1");

        var again = Assert.IsType<SendDecision.Duplicate>(state.DecideSend("r1"));
        var third = Assert.IsType<SendDecision.Duplicate>(state.DecideSend("r1"));

        Assert.Equal(first, again.First);
        Assert.Equal(first, third.First);
        Assert.Same(SendDecision.CheckConsent.Instance, state.DecideSend("r2"));
    }

    [Fact]
    public void A_client_ref_forgotten_beyond_the_remembered_window_is_a_new_send()
    {
        var state = new ChatSessionState("u", new SessionLimits(10, RememberedClientRefs: 2, 10, 10));
        state.StoreSend("m1", clientRef: "r1");
        state.StoreSend("m2", clientRef: "r2");
        state.StoreSend("m3", clientRef: "r3");

        Assert.Same(SendDecision.CheckConsent.Instance, state.DecideSend("r1"));
        Assert.IsType<SendDecision.Duplicate>(state.DecideSend("r3"));
    }

    [Fact]
    public void A_client_ref_whose_send_left_memory_is_read_back_by_its_seq_and_then_answers_the_repeat()
    {
        var state = new ChatSessionState("u", new SessionLimits(10, 100, 10, RememberedOutbound: 1));
        var first = state.StoreSend("m1", clientRef: "r1");
        state.Apply(new OutboundStatusChanged(state.NextSeq, "m1", MessageStatus.Delivered, null, At));
        for (var i = 2; i <= 40; i++)
        {
            var later = state.StoreSend($"m{i}", clientRef: $"r{i}");
            state.Apply(new OutboundStatusChanged(state.NextSeq, later.Id, MessageStatus.Delivered, null, At));
        }

        Assert.Null(state.FindOutbound("m1"));
        var read = Assert.IsType<SendDecision.ReadFirst>(state.DecideSend("r1"));
        Assert.Equal(first.Seq, read.Seq);
        Assert.Equal(first, Assert.IsType<SendDecision.Duplicate>(ChatSessionState.DecideReadBack("r1", first)).First);
        Assert.True(state.RememberedSends < 40);
    }

    [Fact]
    public void A_read_back_that_finds_another_send_or_nothing_is_a_new_send()
    {
        var other = new OutboundAccepted(3, "m3", "r3", Sender, Client, "hi", At, MessageStatus.Queued, SmsSegments.Gsm7, 1);

        Assert.Same(SendDecision.CheckConsent.Instance, ChatSessionState.DecideReadBack("r1", other));
        Assert.Same(SendDecision.CheckConsent.Instance, ChatSessionState.DecideReadBack("r1", null));
        Assert.Same(SendDecision.CheckConsent.Instance, ChatSessionState.DecideReadBack("r1", other with { ClientRef = null }));
    }

    [Fact]
    public void Sends_still_in_progress_are_kept_however_many_and_only_final_ones_are_forgotten()
    {
        var state = new ChatSessionState("u", new SessionLimits(10, 100, 10, RememberedOutbound: 1));
        for (var i = 1; i <= 50; i++)
        {
            state.StoreSend($"m{i}", clientRef: $"r{i}");
        }

        Assert.Equal(50, state.RememberedSends);
        Assert.All(Enumerable.Range(1, 50), i => Assert.IsType<SendDecision.Duplicate>(state.DecideSend($"r{i}")));
    }

    [Fact]
    public void A_recipient_who_opted_out_is_refused_and_nothing_is_stored()
    {
        var state = new ChatSessionState("u");

        var refused = Assert.IsType<SendDecision.Refused>(state.DecideConsented(Sender, Client, "hi", "r1", optedOut: true, "m1", At));

        Assert.Equal(ErrorCodes.OptedOut, refused.Code);
        Assert.Contains(Client, refused.Message, StringComparison.Ordinal);
        Assert.Same(SendDecision.CheckConsent.Instance, state.DecideSend("r1")); // the clientRef stays free for a retry
    }

    [Fact]
    public void Consent_that_could_not_be_checked_refuses_the_send_as_unavailable()
    {
        var state = new ChatSessionState("u");

        var refused = Assert.IsType<SendDecision.Refused>(state.DecideConsented(Sender, Client, "hi", null, optedOut: null, "m1", At));

        Assert.Equal(ErrorCodes.Unavailable, refused.Code);
        Assert.Equal(0, state.LastSeq);
    }

    [Fact]
    public void Sends_over_the_users_rate_are_refused_as_rate_limited_until_the_budget_refills()
    {
        var state = new ChatSessionState("u", sendRate: new SendRate(PerSecond: 2, Burst: 3));

        Assert.Equal(3, Enumerable.Range(0, 10).Count(_ => state.AdmitSend(At) is null));
        var refused = state.AdmitSend(At);

        Assert.Equal(ErrorCodes.RateLimited, refused?.Code);
        Assert.Equal(TimeSpan.FromMilliseconds(500), state.SendRetryAfter(At));
        Assert.Null(state.AdmitSend(At.AddMilliseconds(500)));
    }

    [Fact]
    public void A_session_without_a_rate_admits_every_send()
    {
        var state = new ChatSessionState("u");

        Assert.All(Enumerable.Range(0, 1000), _ => Assert.Null(state.AdmitSend(At)));
    }

    [Fact]
    public void A_session_restored_from_a_snapshot_starts_with_a_full_budget()
    {
        var rate = new SendRate(PerSecond: 1, Burst: 2);
        var state = new ChatSessionState("u", sendRate: rate);
        state.StoreSend("m1");
        state.AdmitSend(At);
        state.AdmitSend(At);
        Assert.NotNull(state.AdmitSend(At));

        var restored = ChatSessionState.FromSnapshot(state.ToSnapshot(), sendRate: rate);

        Assert.Null(restored.AdmitSend(At));
        Assert.Null(restored.AdmitSend(At));
        Assert.NotNull(restored.AdmitSend(At));
    }
}
