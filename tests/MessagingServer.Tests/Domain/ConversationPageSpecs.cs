using MessagingServer.Domain.Messages;
using MessagingServer.Domain.Sessions;

namespace MessagingServer.Tests.Domain;

/// <summary>Picking one conversation's page from a user's whole event stream.</summary>
public sealed class ConversationPageSpecs
{
    private const string Alice = "+15550001111";
    private const string Bob = "+15550002222";
    private const string Us = "+15550000000";
    private static readonly DateTimeOffset At = new(2026, 12, 2, 7, 0, 0, TimeSpan.Zero);

    private static OutboundAccepted Out(long seq, string to) =>
        new(seq, $"o{seq}", null, Us, to, "hi", At, MessageStatus.Queued, SmsSegments.Gsm7, 1);

    private static InboundReceived In(long seq, string from) => new(seq, $"i{seq}", from, Us, "yo", [], At, $"SM{seq}");

    private static OutboundStatusChanged Status(long seq, long of) => new(seq, $"o{of}", MessageStatus.Delivered, null, At);

    // Alice and Bob interleaved: 1 out→A, 2 in←B, 3 status(1), 4 in←A, 5 out→B, 6 status(5), 7 out→A, 8 in←A.
    private static readonly ISequencedEvent[] Stream =
        [Out(1, Alice), In(2, Bob), Status(3, of: 1), In(4, Alice), Out(5, Bob), Status(6, of: 5), Out(7, Alice), In(8, Alice)];

    private static List<long> Page(string client, long before, int limit)
    {
        var page = new ConversationPage(client, before, limit);
        foreach (var e in Stream.TakeWhile(_ => page.WantsMore))
        {
            page.Add(e);
        }

        return [.. page.NewestFirst().Select(e => e.Seq)];
    }

    [Fact]
    public void The_newest_page_holds_the_highest_seqs_of_that_client_newest_first()
    {
        Assert.Equal([8L, 7L, 4L], Page(Alice, long.MaxValue, 3));
        Assert.Equal([6L, 5L, 2L], Page(Bob, long.MaxValue, 50));
    }

    [Fact]
    public void Status_events_belong_to_the_conversation_of_their_outbound_message()
    {
        Assert.Equal([8L, 7L, 4L, 3L, 1L], Page(Alice, long.MaxValue, 50));
    }

    [Fact]
    public void The_last_seq_of_a_page_is_the_before_of_the_next_until_a_short_page_ends_it()
    {
        Assert.Equal([8L, 7L], Page(Alice, long.MaxValue, 2));
        Assert.Equal([4L, 3L], Page(Alice, 7, 2));
        Assert.Equal([1L], Page(Alice, 3, 2));
        Assert.Empty(Page(Alice, 1, 2));
    }

    [Fact]
    public void An_unknown_client_has_an_empty_page_and_reading_stops_at_before()
    {
        Assert.Empty(Page("+15559999999", long.MaxValue, 50));

        var page = new ConversationPage(Alice, 4, 10);
        page.Add(Out(1, Alice));
        page.Add(In(4, Alice));
        Assert.False(page.WantsMore);
        Assert.Equal([1L], page.NewestFirst().Select(e => e.Seq));
    }

    [Fact]
    public void A_limit_below_one_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConversationPage(Alice, 10, 0));
    }

    private static ConversationPage Window(string client, long before, int limit, long start)
    {
        var page = new ConversationPage(client, before, limit);
        foreach (var e in Stream.Where(e => e.Seq >= start).TakeWhile(_ => page.WantsMore))
        {
            page.Add(e);
        }

        return page;
    }

    [Fact]
    public void A_window_with_a_full_page_and_every_status_explained_decides_the_page()
    {
        var page = Window(Alice, long.MaxValue, 2, start: 5);

        Assert.True(page.IsWhole(5));
        Assert.Equal([8L, 7L], page.NewestFirst().Select(e => e.Seq));
        Assert.Equal(Page(Alice, long.MaxValue, 2), page.NewestFirst().Select(e => e.Seq));
    }

    [Fact]
    public void A_window_that_cuts_off_an_outbound_whose_status_could_be_on_the_page_is_not_enough()
    {
        // 1 out→A, 2 in←A, 3 status(1), 4 in←A. From seq 2 the page [4, 2] looks full, but status 3 (its outbound is
        // outside the window) is newer than 2 and is Alice's: read from the start, the page is [4, 3].
        ISequencedEvent[] stream = [Out(1, Alice), In(2, Alice), Status(3, of: 1), In(4, Alice)];
        ConversationPage From(long start)
        {
            var page = new ConversationPage(Alice, long.MaxValue, 2);
            foreach (var e in stream.Where(e => e.Seq >= start))
            {
                page.Add(e);
            }

            return page;
        }

        Assert.False(From(2).IsWhole(2));
        Assert.True(From(1).IsWhole(1));
        Assert.Equal([4L, 3L], From(1).NewestFirst().Select(e => e.Seq));
    }

    [Fact]
    public void A_short_page_from_a_window_after_the_start_is_not_enough_and_from_the_start_it_is()
    {
        Assert.False(Window(Bob, long.MaxValue, 50, start: 4).IsWhole(4));
        Assert.True(Window(Bob, long.MaxValue, 50, start: 1).IsWhole(1));
    }

    [Fact]
    public void A_status_of_another_clients_outbound_inside_the_window_never_holds_the_page_back()
    {
        // Window from 5: outbound 5 (to Bob) and its status 6 are both in it, so status 6 is known not to be Alice's.
        var page = Window(Alice, long.MaxValue, 1, start: 5);

        Assert.True(page.IsWhole(5));
        Assert.Equal([8L], page.NewestFirst().Select(e => e.Seq));
    }
}
