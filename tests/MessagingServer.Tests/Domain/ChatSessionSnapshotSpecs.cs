using MessagingServer.Domain.Messages;
using MessagingServer.Domain.Sessions;
using MessagingServer.Persistence;

namespace MessagingServer.Tests.Domain;

public sealed class ChatSessionSnapshotSpecs
{
    private static readonly DateTimeOffset At = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_state_restored_from_a_stored_snapshot_behaves_like_the_original()
    {
        var types = new StoredTypeRegistry();
        types.Register<ChatSessionSnapshot>("session-snapshot.v1");
        var original = new ChatSessionState("u");
        original.Apply(new OutboundAccepted(1, "a", "ref-a", "+15550000000", "+15550001111", "hi ✓", At, MessageStatus.Queued, SmsSegments.Ucs2, 1));
        original.Apply(new DispatchStarted("a", At));
        original.Apply(new OutboundStatusChanged(2, "a", MessageStatus.Delivered, null, At, "SM1"));
        original.Apply(new OutboundAccepted(3, "b", null, "+15550000000", "+15550002222", "pending", At, MessageStatus.Queued, SmsSegments.Gsm7, 1));
        original.Apply(new InboundReceived(4, "c", "+15550001111", "+15550000000", "reply", ["https://media/1"], At, "SMin1"));
        original.Apply(new InboundReceived(5, "d", "+15550001111", "+15550000000", "again", [], At, "SMin2"));
        original.Apply(new CursorAcked(4));
        original.Apply(new ClientOptedOut("+15550000000", "+15550009999", At));

        var bytes = types.Serialize(original.ToSnapshot());
        var restored = ChatSessionState.FromSnapshot((ChatSessionSnapshot)types.Deserialize(bytes, "session-snapshot.v1"));

        Assert.Equal((5L, 4L), (restored.LastSeq, restored.AckedSeq));
        Assert.Equal(original.EventsAfter(0).Select(e => e.Seq), restored.EventsAfter(0).Select(e => e.Seq));
        Assert.Equal("a", restored.FindByClientRef("ref-a")?.Id);
        Assert.Equal(MessageStatus.Delivered, restored.FindOutbound("a")?.Status);
        Assert.Equal(["b"], restored.PendingDispatch().Select(p => p.Accepted.Id));
        Assert.True(restored.HasSeenInbound("SMin2"));
        Assert.True(restored.IsOptedOut("+15550000000", "+15550009999"));
        var conversation = Assert.Single(restored.Conversations, c => c.ClientNumber == "+15550001111");
        Assert.Equal((5L, 1), (conversation.LastEvent.Seq, conversation.UnreadCount));
        Assert.Equal(["https://media/1"], ((InboundReceived)restored.EventsAfter(3).First()).Media);
    }

    [Fact]
    public void Events_already_in_the_snapshot_are_not_applied_twice()
    {
        var state = new ChatSessionState("u");
        state.Apply(new InboundReceived(1, "x", "+15550001111", "+15550000000", "one", [], At, "SM1"));
        var restored = ChatSessionState.FromSnapshot(state.ToSnapshot());

        restored.Apply(new InboundReceived(1, "x", "+15550001111", "+15550000000", "one", [], At, "SM1"));
        restored.Apply(new InboundReceived(2, "y", "+15550001111", "+15550000000", "two", [], At, "SM2"));

        Assert.Equal([1L, 2L], restored.EventsAfter(0).Select(e => e.Seq));
        Assert.Equal(2, restored.Conversations.Single().UnreadCount);
    }
}
