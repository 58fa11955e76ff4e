using MessagingServer.Domain.Messages;
using MessagingServer.Domain.Sessions;

namespace MessagingServer.Tests.Domain;

public sealed class ChatSessionStateSpecs
{
    private static readonly DateTimeOffset At = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private static OutboundAccepted Outbound(long seq, string id, string to = "+15550001111", string? clientRef = null) =>
        new(seq, id, clientRef, "+15550000000", to, "hi", At, MessageStatus.Queued, SmsSegments.Gsm7, 1);

    private static InboundReceived Inbound(long seq, string from = "+15550001111", string? sid = null) =>
        new(seq, $"in{seq}", from, "+15550000000", "yo", [], At, sid ?? $"SM{seq}");

    [Fact]
    public void Visible_events_advance_the_last_seq_and_are_replayable_after_any_point()
    {
        var state = new ChatSessionState("u");
        state.Apply(Outbound(1, "a"));
        state.Apply(new DispatchStarted("a", At));
        state.Apply(Inbound(2));

        Assert.Equal(2, state.LastSeq);
        Assert.Equal([1L, 2L], state.EventsAfter(0).Select(e => e.Seq));
        Assert.Equal([2L], state.EventsAfter(1).Select(e => e.Seq));
        Assert.Empty(state.EventsAfter(2));
        Assert.Equal([1L], state.EventsAfter(0, limit: 1).Select(e => e.Seq));
    }

    [Fact]
    public void The_cursor_only_moves_forward_and_clears_unread_counts()
    {
        var state = new ChatSessionState("u");
        state.Apply(Inbound(1));
        state.Apply(Inbound(2));
        state.Apply(Inbound(3, from: "+15550002222"));
        Assert.Equal(2, state.Conversations.Single(c => c.ClientNumber == "+15550001111").UnreadCount);

        state.Apply(new CursorAcked(2));
        state.Apply(new CursorAcked(1));

        Assert.Equal(2, state.AckedSeq);
        Assert.Equal(0, state.Conversations.Single(c => c.ClientNumber == "+15550001111").UnreadCount);
        Assert.Equal(1, state.Conversations.Single(c => c.ClientNumber == "+15550002222").UnreadCount);
    }

    [Fact]
    public void Client_refs_and_provider_sids_are_remembered_for_dedup()
    {
        var state = new ChatSessionState("u");
        state.Apply(Outbound(1, "a", clientRef: "r1"));
        state.Apply(Inbound(2, sid: "SMx"));

        Assert.Equal("a", state.FindByClientRef("r1")?.Id);
        Assert.Null(state.FindByClientRef("r2"));
        Assert.True(state.HasSeenInbound("SMx"));
        Assert.False(state.HasSeenInbound("SMy"));
    }

    [Fact]
    public void Remembered_client_refs_are_bounded_forgetting_the_oldest()
    {
        var state = new ChatSessionState("u", new SessionLimits(10, 2, 2, 10));
        state.Apply(Outbound(1, "a", clientRef: "r1"));
        state.Apply(Outbound(2, "b", clientRef: "r2"));
        state.Apply(Outbound(3, "c", clientRef: "r3"));

        Assert.Null(state.FindByClientRef("r1"));
        Assert.Equal("c", state.FindByClientRef("r3")?.Id);
    }

    [Fact]
    public void Opt_out_and_opt_in_are_per_sender_and_client()
    {
        var state = new ChatSessionState("u");
        state.Apply(new ClientOptedOut("+15550000000", "+15550001111", At));

        Assert.True(state.IsOptedOut("+15550000000", "+15550001111"));
        Assert.False(state.IsOptedOut("+15550009999", "+15550001111"));
        state.Apply(new ClientOptedIn("+15550000000", "+15550001111", At));
        Assert.False(state.IsOptedOut("+15550000000", "+15550001111"));
    }

    [Fact]
    public void Pending_dispatch_lists_stored_sends_that_never_finished()
    {
        var state = new ChatSessionState("u");
        state.Apply(Outbound(1, "never-called"));
        state.Apply(Outbound(2, "called"));
        state.Apply(new DispatchStarted("called", At));
        state.Apply(Outbound(3, "done"));
        state.Apply(new DispatchStarted("done", At));
        state.Apply(new OutboundStatusChanged(4, "done", MessageStatus.Sent, null, At));

        var pending = state.PendingDispatch().ToList();
        Assert.Equal(["never-called", "called"], pending.Select(p => p.Accepted.Id));
        Assert.Equal([false, true], pending.Select(p => p.Dispatched));
    }

    [Theory]
    [InlineData(MessageStatus.Queued, MessageStatus.Sent, true)]
    [InlineData(MessageStatus.Sent, MessageStatus.Delivered, true)]
    [InlineData(MessageStatus.Queued, MessageStatus.Delivered, true)]
    [InlineData(MessageStatus.Delivered, MessageStatus.Sent, false)]
    [InlineData(MessageStatus.Delivered, MessageStatus.Failed, false)]
    [InlineData(MessageStatus.Failed, MessageStatus.Delivered, false)]
    [InlineData(MessageStatus.Sent, MessageStatus.Sent, false)]
    [InlineData(MessageStatus.Sent, MessageStatus.Queued, false)]
    public void Status_only_moves_forward(MessageStatus from, MessageStatus to, bool allowed) =>
        Assert.Equal(allowed, from.CanMoveTo(to));
}
