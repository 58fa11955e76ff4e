using MessagingServer.Domain.Messages;
using MessagingServer.Domain.Sessions;

namespace MessagingServer.Tests.Domain.Sessions;

/// <summary>The cursor: forward only, never beyond what is stored.</summary>
public sealed class AckDecisionSpecs
{
    private static ChatSessionState WithInbound(int count)
    {
        var state = new ChatSessionState("u");
        for (var i = 1; i <= count; i++)
        {
            state.Receive($"in{i}", $"SM{i}");
        }

        return state;
    }

    [Fact]
    public void An_ack_forward_is_stored_as_the_new_cursor()
    {
        var state = WithInbound(3);

        var decision = state.DecideAck(2, storedSeq: 3);

        Assert.Equal(new AckDecision(true, 2, Advance: new CursorAcked(2)), decision);
        Assert.Equal(0, state.AckedSeq); // deciding stores nothing
    }

    [Fact]
    public void An_ack_beyond_the_last_stored_event_is_refused_and_names_it()
    {
        var state = WithInbound(3);
        state.Apply(new CursorAcked(1));

        var decision = state.DecideAck(3, storedSeq: 2); // seq 3 is applied but its write has not finished

        Assert.False(decision.Accepted);
        Assert.Equal(1, decision.Cursor);
        Assert.Null(decision.Advance);
        Assert.Contains("beyond the last event (2)", decision.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(1)]
    [InlineData(0)]
    [InlineData(-5)]
    public void An_ack_at_or_behind_the_cursor_is_accepted_and_changes_nothing(long seq)
    {
        var state = WithInbound(3);
        state.Apply(new CursorAcked(2));

        var decision = state.DecideAck(seq, storedSeq: 3);

        Assert.Equal(new AckDecision(true, 2), decision);
    }

    [Fact]
    public void Applying_an_old_ack_never_moves_the_cursor_back()
    {
        var state = WithInbound(3);
        state.Apply(new CursorAcked(3));
        state.Apply(new CursorAcked(1));

        Assert.Equal(3, state.AckedSeq);
    }
}
