using MessagingServer.Domain.Messages;
using MessagingServer.Domain.Sessions;

namespace MessagingServer.Tests.Domain.Sessions;

/// <summary>The conversation list a session keeps: the most recently active threads, and every thread with unread messages.</summary>
public sealed class ConversationBookSpecs
{
    private const string Us = "+15550000000";
    private static readonly DateTimeOffset At = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    private static string Client(int i) => $"+1555044{i:0000}";

    private static ChatSessionState State(int conversations) =>
        new("u", SessionLimits.Default with { RememberedConversations = conversations });

    private static void Out(ChatSessionState state, int client) =>
        state.Apply(new OutboundAccepted(state.NextSeq, $"o{state.NextSeq}", null, Us, Client(client), "hi", At, MessageStatus.Queued, SmsSegments.Gsm7, 1));

    private static void In(ChatSessionState state, int client) =>
        state.Apply(new InboundReceived(state.NextSeq, $"i{state.NextSeq}", Client(client), Us, "yo", [], At, $"SM{state.NextSeq}"));

    [Fact]
    public void Past_its_capacity_the_least_recently_active_thread_is_forgotten()
    {
        var state = State(3);
        Out(state, 1);
        Out(state, 2);
        Out(state, 3);
        Out(state, 1); // thread 1 is the newest again
        Out(state, 4);

        Assert.Equal([Client(1), Client(3), Client(4)], state.Conversations.Select(c => c.ClientNumber).Order());
    }

    [Fact]
    public void A_thread_with_unread_messages_is_never_forgotten_and_once_read_it_can_be()
    {
        var state = State(2);
        In(state, 1); // unread
        for (var i = 2; i <= 6; i++)
        {
            Out(state, i);
        }

        Assert.Contains(state.Conversations, c => c.ClientNumber == Client(1) && c.UnreadCount == 1);
        Assert.Equal(2, state.Conversations.Count());

        state.Apply(new CursorAcked(state.LastSeq));
        Out(state, 7);

        Assert.DoesNotContain(state.Conversations, c => c.ClientNumber == Client(1));
        Assert.Equal([Client(6), Client(7)], state.Conversations.Select(c => c.ClientNumber).Order());
    }

    [Fact]
    public void When_every_thread_has_unread_messages_all_are_kept_beyond_the_capacity()
    {
        var state = State(2);
        for (var i = 1; i <= 5; i++)
        {
            In(state, i);
        }

        Assert.Equal(5, state.Conversations.Count());
        Assert.All(state.Conversations, c => Assert.Equal(1, c.UnreadCount));
    }

    [Fact]
    public void A_snapshot_keeps_the_recency_order_so_the_same_thread_is_forgotten_next()
    {
        var state = State(3);
        Out(state, 1);
        Out(state, 2);
        Out(state, 3);
        Out(state, 1);

        var restored = ChatSessionState.FromSnapshot(state.ToSnapshot(), SessionLimits.Default with { RememberedConversations = 3 });
        Out(restored, 4);

        Assert.Equal([Client(1), Client(3), Client(4)], restored.Conversations.Select(c => c.ClientNumber).Order());
    }
}
