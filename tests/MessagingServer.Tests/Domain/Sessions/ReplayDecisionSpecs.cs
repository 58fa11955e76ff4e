using MessagingServer.Domain.Messages;
using MessagingServer.Domain.Sessions;

namespace MessagingServer.Tests.Domain.Sessions;

/// <summary>Where a device resumes: from its cursor or its own seq, from memory or the journal, never past what is stored.</summary>
public sealed class ReplayDecisionSpecs
{
    private static ChatSessionState WithInbound(int count, int cachedEvents = 100)
    {
        var state = new ChatSessionState("u", SessionLimits.Default with { CachedEvents = cachedEvents });
        for (var i = 1; i <= count; i++)
        {
            state.Receive($"in{i}", $"SM{i}");
        }

        return state;
    }

    [Fact]
    public void A_device_without_a_seq_resumes_after_the_acked_cursor()
    {
        var state = WithInbound(5);
        state.Apply(new CursorAcked(3));

        Assert.Equal(new ReplayStart(3), state.DecideReplay(since: null, storedSeq: 5));
    }

    [Fact]
    public void A_devices_own_seq_overrides_the_cursor_either_way()
    {
        var state = WithInbound(5);
        state.Apply(new CursorAcked(3));

        Assert.Equal(new ReplayStart(1), state.DecideReplay(since: 1, storedSeq: 5));
        Assert.Equal(new ReplayStart(4), state.DecideReplay(since: 4, storedSeq: 5));
    }

    [Theory]
    [InlineData(99, 4)]
    [InlineData(-7, 0)]
    public void A_seq_out_of_range_is_clamped_to_what_is_stored(long since, long after)
    {
        var state = WithInbound(5);

        Assert.Equal(new ReplayStart(after), state.DecideReplay(since, storedSeq: 4));
    }

    [Fact]
    public void Events_whose_write_has_not_finished_are_never_replayed()
    {
        var state = WithInbound(5);

        Assert.Equal([3L, 4L], state.StoredEventsAfter(2, storedSeq: 4).Select(e => e.Seq));
        Assert.Equal([3L], state.StoredEventsAfter(2, storedSeq: 4, limit: 1).Select(e => e.Seq));
    }

    [Fact]
    public void Resuming_from_further_back_than_memory_holds_reads_the_journal_up_to_the_oldest_in_memory()
    {
        var state = WithInbound(10, cachedEvents: 4); // memory holds 7..10

        Assert.Equal(new ReplayStart(2, JournalBefore: 7), state.DecideReplay(since: 2, storedSeq: 10));
        Assert.Equal(new ReplayStart(6), state.DecideReplay(since: 6, storedSeq: 10));
        Assert.Equal([7L, 8L, 9L, 10L], state.StoredEventsAfter(6, storedSeq: 10).Select(e => e.Seq));
    }

    [Fact]
    public void An_empty_session_replays_nothing_and_needs_no_journal()
    {
        var state = new ChatSessionState("u");

        Assert.Equal(new ReplayStart(0), state.DecideReplay(since: null, storedSeq: 0));
        Assert.Empty(state.StoredEventsAfter(0, storedSeq: 0));
    }
}
