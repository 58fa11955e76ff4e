using MessagingServer.Domain.Broadcasts;

namespace MessagingServer.Tests.Domain.Broadcasts;

public sealed class BroadcastStateSpecs
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 7, 0, 0, TimeSpan.Zero);

    private static BroadcastCreated Created(int total, int parts = 1, string body = "hello") =>
        new("b0123456789abcdef0123456789abcdef", "user", body, [], null, total, parts, Now);

    private static BroadcastState Ready(params string[] numbers)
    {
        var state = new BroadcastState();
        foreach (var e in state.DecideAddPart(Created(numbers.Length), 0, numbers)!)
        {
            state.Apply(e);
        }

        return state;
    }

    private static void Settle(BroadcastState state, int index, BroadcastOutcome outcome) =>
        state.Apply(state.DecideSettle(index, outcome, Now)!);

    [Fact]
    public void Recipients_given_twice_across_parts_are_texted_once()
    {
        var state = new BroadcastState();
        foreach (var e in state.DecideAddPart(Created(4, parts: 2), 1, ["+15550000003", "+15550000001"])!)
        {
            state.Apply(e);
        }

        Assert.False(state.IsReady);
        foreach (var e in state.DecideAddPart(Created(4, parts: 2), 0, ["+15550000001", "+15550000002"])!)
        {
            state.Apply(e);
        }

        Assert.True(state.IsReady);
        Assert.Equal(3, state.Total);
        Assert.Equal(["+15550000001", "+15550000002", "+15550000003"], Enumerable.Range(0, 3).Select(state.RecipientAt));
    }

    [Fact]
    public void A_part_stored_already_stores_nothing_and_one_that_does_not_fit_is_refused()
    {
        var state = Ready("+15550000001");

        Assert.Empty(state.DecideAddPart(Created(1), 0, ["+15550000001"])!);
        Assert.Null(new BroadcastState().DecideAddPart(Created(1), 3, ["+15550000001"]));
        var partial = new BroadcastState();
        foreach (var e in partial.DecideAddPart(Created(2, parts: 2), 0, ["+15550000001"])!)
        {
            partial.Apply(e);
        }

        Assert.Null(partial.DecideAddPart(Created(2, parts: 2, body: "another body"), 1, ["+15550000002"]));
    }

    [Fact]
    public void Progress_counts_each_recipient_once_and_finishes_when_all_are_counted()
    {
        var state = Ready("+15550000001", "+15550000002", "+15550000003");

        Settle(state, 0, BroadcastOutcome.Sent);
        Settle(state, 1, BroadcastOutcome.Skipped);
        Assert.Null(state.DecideSettle(1, BroadcastOutcome.Sent, Now));
        Assert.False(state.IsFinished);
        Settle(state, 2, BroadcastOutcome.Failed);

        Assert.Equal(new BroadcastProgress(state.Id!, 3, 1, 1, 1, 0), state.Progress);
        Assert.True(state.IsFinished);
        Assert.Null(state.NextToHand(new HashSet<int>()));
    }

    [Fact]
    public void The_next_recipient_skips_settled_and_in_flight_ones()
    {
        var state = Ready("+15550000001", "+15550000002", "+15550000003");
        Settle(state, 0, BroadcastOutcome.Sent);

        Assert.Equal(1, state.NextToHand(new HashSet<int>()));
        Assert.Equal(2, state.NextToHand(new HashSet<int> { 1 }));
        Assert.Null(state.NextToHand(new HashSet<int> { 1, 2 }));
        Assert.Equal("bc:b0123456789abcdef0123456789abcdef:2", state.ClientRefFor(2));
    }

    [Fact]
    public void Cancel_marks_what_was_not_handed_and_still_settles_what_was()
    {
        var state = Ready("+15550000001", "+15550000002", "+15550000003", "+15550000004");
        Settle(state, 0, BroadcastOutcome.Sent);

        var cancelled = state.DecideCancel(new HashSet<int> { 1 }, Now)!;
        state.Apply(cancelled);

        Assert.Equal([1], cancelled.InFlight);
        Assert.Equal(2, state.Progress.Cancelled);
        Assert.False(state.IsFinished);
        Assert.Null(state.DecideCancel(new HashSet<int>(), Now));
        Assert.Null(state.DecideSettle(2, BroadcastOutcome.Sent, Now));
        Assert.Equal(1, state.NextToHand(new HashSet<int>()));
        Assert.Null(state.NextToHand(new HashSet<int> { 1 }));

        Settle(state, 1, BroadcastOutcome.Sent);
        Assert.Equal(new BroadcastProgress(state.Id!, 4, 2, 0, 0, 2), state.Progress);
        Assert.True(state.IsFinished);
    }

    [Fact]
    public void A_state_rebuilt_from_its_events_resumes_where_it_was()
    {
        var settled = new BroadcastRecipientSettled(0, BroadcastOutcome.Sent, Now);
        IBroadcastEvent[] events = [Created(3), new BroadcastRecipientsAdded(0, ["+15550000001", "+15550000002", "+15550000003"]), settled];

        var recovered = new BroadcastState();
        foreach (var e in events)
        {
            recovered.Apply(e);
        }

        recovered.Apply(settled); // applied twice (a replay): counted once
        Assert.Equal(1, recovered.Sent);
        Assert.Equal(1, recovered.NextToHand(new HashSet<int>()));
        Assert.False(recovered.IsClosed);
        recovered.Apply(new BroadcastClosed(Now));
        Assert.True(recovered.IsClosed);
    }

    [Fact]
    public void Ids_from_a_client_ref_are_the_same_each_time_and_differ_per_user()
    {
        Assert.Equal(BroadcastIds.For("ann", "campaign-1"), BroadcastIds.For("ann", "campaign-1"));
        Assert.NotEqual(BroadcastIds.For("ann", "campaign-1"), BroadcastIds.For("bob", "campaign-1"));
        Assert.NotEqual(BroadcastIds.For("ann", null), BroadcastIds.For("ann", null));
        Assert.True(BroadcastIds.IsWellFormed(BroadcastIds.For("ann", null)));
        Assert.False(BroadcastIds.IsWellFormed("b../../etc"));
        Assert.False(BroadcastIds.IsWellFormed(null));
    }
}
