using MessagingServer.Cluster.Serialization;
using MessagingServer.Domain.Messages;

namespace MessagingServer.Tests.Cluster;

public sealed class EventBatchBudgetSpecs
{
    [Fact]
    public void Events_are_taken_in_order_until_the_next_would_not_fit()
    {
        var events = Enumerable.Range(1, 100).Select(i => Inbound(i, 500)).ToList();

        var taken = EventBatchBudget.Take(events, maxBytes: 5_000);

        Assert.InRange(taken.Count, 2, 9);
        Assert.Equal(events.Take(taken.Count), taken);
    }

    [Fact]
    public void The_first_event_is_always_taken_and_few_events_are_all_taken()
    {
        Assert.Single(EventBatchBudget.Take([Inbound(1, 5_000), Inbound(2, 10)], maxBytes: 100));
        Assert.Equal(3, EventBatchBudget.Take([Inbound(1, 10), Inbound(2, 10), Inbound(3, 10)]).Count);
        Assert.Empty(EventBatchBudget.Take([]));
    }

    private static InboundReceived Inbound(long seq, int bodyLength) =>
        new(seq, $"m{seq}", "+15550001111", "+15550000000", new string('x', bodyLength), [], DateTimeOffset.UnixEpoch, $"SM{seq}");
}
