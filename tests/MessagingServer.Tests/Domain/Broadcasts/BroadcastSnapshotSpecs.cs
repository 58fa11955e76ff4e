using MessagingServer.Domain.Broadcasts;
using MessagingServer.Persistence;

namespace MessagingServer.Tests.Domain.Broadcasts;

public sealed class BroadcastSnapshotSpecs
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 7, 0, 0, TimeSpan.Zero);

    private static readonly string[] Numbers = ["+15550000001", "+15550000002", "+15550000003", "+15550000004", "+15550000005", "+15550000006"];

    private static BroadcastCreated Created(int total, int parts) =>
        new("b0123456789abcdef0123456789abcdef", "user", "vote tuesday", ["https://cdn.example.com/flyer.jpg"], "c-1", total, parts, Now);

    /// <summary>Six recipients in two parts (one number twice: five distinct), three settled, one in flight.</summary>
    private static BroadcastState Running()
    {
        var state = new BroadcastState();
        foreach (var e in state.DecideAddPart(Created(6, 2), 0, Numbers[..3])!.Concat(state.DecideAddPart(Created(6, 2), 1, [.. Numbers[3..5], Numbers[0]])!))
        {
            state.Apply(e);
        }

        state.Apply(state.DecideSettle(0, BroadcastOutcome.Sent, Now)!);
        state.Apply(state.DecideSettle(1, BroadcastOutcome.Skipped, Now)!);
        state.Apply(state.DecideSettle(3, BroadcastOutcome.Failed, Now)!);
        return state;
    }

    private static BroadcastState StoredAndRead(BroadcastState state)
    {
        var types = new StoredTypeRegistry();
        types.Register<BroadcastSnapshot>(BroadcastSnapshot.Manifest);
        var bytes = types.Serialize(state.ToSnapshot()!);
        return BroadcastState.FromSnapshot((BroadcastSnapshot)types.Deserialize(bytes, BroadcastSnapshot.Manifest));
    }

    [Fact]
    public void A_broadcast_restored_from_its_stored_snapshot_carries_on_like_the_original()
    {
        var original = Running();

        var restored = StoredAndRead(original);

        Assert.Equal(original.Progress, restored.Progress);
        Assert.Equal(new BroadcastProgress("b0123456789abcdef0123456789abcdef", 5, 1, 1, 1, 0), restored.Progress);
        Assert.Equal(original.Created, restored.Created! with { Media = original.Created!.Media });
        Assert.Equal(original.Created.Media, restored.Created!.Media);
        Assert.True(restored.IsReady);
        Assert.Equal(Enumerable.Range(0, 5).Select(original.RecipientAt), Enumerable.Range(0, 5).Select(restored.RecipientAt));
        Assert.Equal(2, restored.NextToHand(new HashSet<int>()));
        Assert.Equal(4, restored.NextToHand(new HashSet<int> { 2 }));
        Assert.Null(restored.DecideSettle(0, BroadcastOutcome.Sent, Now));
        Assert.Equal(original.ClientRefFor(4), restored.ClientRefFor(4));

        // The tail of the journal applies on top, as in recovery.
        restored.Apply(new BroadcastRecipientSettled(2, BroadcastOutcome.Sent, Now));
        restored.Apply(new BroadcastRecipientSettled(4, BroadcastOutcome.Sent, Now));
        Assert.True(restored.IsFinished);
        restored.Apply(new BroadcastClosed(Now));
        Assert.True(StoredAndRead(restored).IsClosed);
    }

    [Fact]
    public void A_cancelled_broadcast_restores_which_handed_recipients_may_still_settle()
    {
        var original = Running();
        original.Apply(original.DecideCancel(new HashSet<int> { 2 }, Now)!);

        var restored = StoredAndRead(original);

        Assert.True(restored.IsCancelled);
        Assert.Equal(original.Progress, restored.Progress);
        Assert.Equal(1, restored.Cancelled);
        Assert.Equal(2, restored.NextToHand(new HashSet<int>()));
        Assert.Null(restored.DecideSettle(4, BroadcastOutcome.Sent, Now));
        Assert.NotNull(restored.DecideSettle(2, BroadcastOutcome.Sent, Now));
        Assert.Null(restored.DecideCancel(new HashSet<int>(), Now));
    }

    [Fact]
    public void A_broadcast_without_all_its_parts_has_no_snapshot()
    {
        var state = new BroadcastState();
        foreach (var e in state.DecideAddPart(Created(6, 2), 0, Numbers[..3])!)
        {
            state.Apply(e);
        }

        Assert.Null(state.ToSnapshot());
        Assert.Null(new BroadcastState().ToSnapshot());
    }

    [Theory]
    [InlineData("s")]
    [InlineData("s?f\u0000")]
    [InlineData("s-x-k-s-f-s-s-s")]
    public void Outcomes_it_cannot_read_count_as_not_settled_so_those_recipients_are_asked_again_under_their_clientRef(string outcomes)
    {
        var snapshot = Running().ToSnapshot()! with { Outcomes = outcomes, Cancelled = false, PendingAtCancel = [-1, 99] };

        var restored = BroadcastState.FromSnapshot(snapshot);

        Assert.Equal(1, restored.Sent);
        Assert.Equal(5, restored.Total);
        Assert.Equal(1, restored.NextToHand(new HashSet<int>()));
        Assert.False(restored.IsFinished);
    }

    [Fact]
    public void Pending_indexes_outside_the_list_or_already_settled_are_ignored()
    {
        var snapshot = Running().ToSnapshot()! with { Cancelled = true, PendingAtCancel = [-1, 0, 2, 2, 99, int.MaxValue] };

        var restored = BroadcastState.FromSnapshot(snapshot);

        Assert.Equal(2, restored.NextToHand(new HashSet<int>()));
        Assert.Null(restored.NextToHand(new HashSet<int> { 2 }));
        Assert.Equal(5 - 3 - 1, restored.Cancelled);
    }
}
