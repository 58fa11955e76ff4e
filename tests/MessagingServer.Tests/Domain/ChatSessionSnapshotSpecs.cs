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

    [Fact]
    public void A_snapshot_keeps_the_dedup_of_sends_no_longer_in_memory_and_stays_small()
    {
        var types = new StoredTypeRegistry();
        types.Register<ChatSessionSnapshot>("session-snapshot.v1");
        var limits = new SessionLimits(10, 1_000, 1_000, RememberedOutbound: 5);
        var original = new ChatSessionState("u", limits);
        for (var i = 1; i <= 300; i++)
        {
            original.Apply(new OutboundAccepted(original.NextSeq, $"m{i}", $"ref-{i}", "+15550000000", "+15550001111", "hi", At, MessageStatus.Queued, SmsSegments.Gsm7, 1));
            original.Apply(new OutboundStatusChanged(original.NextSeq, $"m{i}", MessageStatus.Delivered, null, At, $"SMout{i}"));
            original.Apply(new InboundReceived(original.NextSeq, $"in{i}", "+15550001111", "+15550000000", "reply", [], At, $"SMin{i}"));
        }

        var snapshot = original.ToSnapshot();
        var bytes = types.Serialize(snapshot);
        var restored = ChatSessionState.FromSnapshot((ChatSessionSnapshot)types.Deserialize(bytes, "session-snapshot.v1"), limits);

        Assert.Empty(snapshot.ClientRefs);
        Assert.Empty(snapshot.InboundSids);
        Assert.True(bytes.Length < 40_000, $"a snapshot of 10 events, a few sends and 600 dedup keys took {bytes.Length} bytes");
        Assert.IsType<SendDecision.ReadFirst>(restored.DecideSend("ref-1"));
        Assert.Equal("m300", restored.FindByClientRef("ref-300")?.Id);
        Assert.True(restored.HasSeenInbound("SMin1"));
        Assert.True(restored.HasSeenInbound("SMin300"));
        Assert.False(restored.HasSeenInbound("SMin301"));
    }

    [Fact]
    public void A_snapshot_written_before_the_compact_windows_still_dedups_its_client_refs_and_sids()
    {
        var accepted = new OutboundAccepted(1, "a", "ref-a", "+15550000000", "+15550001111", "hi", At, MessageStatus.Queued, SmsSegments.Gsm7, 1);
        var inbound = new InboundReceived(2, "b", "+15550001111", "+15550000000", "yo", [], At, "SMold");
        var legacy = new ChatSessionSnapshot(
            "u", 2, 0, [accepted], [], [inbound],
            [new OutboundSnapshot(accepted, MessageStatus.Delivered, true, false, "SM1")],
            ["ref-a", "ref-gone"], ["SMold", "SMolder"], [], []);

        var restored = ChatSessionState.FromSnapshot(legacy);

        Assert.Equal("a", restored.FindByClientRef("ref-a")?.Id);
        Assert.Same(SendDecision.CheckConsent.Instance, restored.DecideSend("ref-gone")); // its send was not in the snapshot: nothing to answer with
        Assert.True(restored.HasSeenInbound("SMold"));
        Assert.True(restored.HasSeenInbound("SMolder"));
    }
}
