using MessagingServer.Domain.Messages;
using MessagingServer.Senders;
using MessagingServer.Sms;

namespace MessagingServer.Tests.Senders;

/// <summary>The pure queue of one sender: pacing, round-robin between users, limits, and one call per message id.</summary>
public sealed class SenderQueueSpecs
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly SendOutcome Accepted = new SendOutcome.Accepted("SM1", MessageStatus.Queued);

    private static SenderLimits Limits(double perSecond = 1, int inFlight = 100, int queued = 1000) => SenderLimits.PerSecond(perSecond, inFlight, queued);

    private static DispatchSms Sms(string user, int i) => new("+15550000001", user, $"{user}-{i}", "+15550001111", $"{user} {i}");

    /// <summary>Runs the queue on a fake clock, answering every call at once; returns when each message got its turn.</summary>
    private static Dictionary<string, TimeSpan> Drain(SenderQueue queue, TimeSpan until)
    {
        var turns = new Dictionary<string, TimeSpan>();
        var now = T0;
        while (now - T0 <= until)
        {
            if (queue.TryTake(now, out var wait) is { } next)
            {
                turns[next.MessageId] = now - T0;
                Assert.NotNull(queue.Clear(next.MessageId));
                Assert.NotNull(queue.Complete(next.MessageId, Accepted, now));
                continue;
            }

            if (wait == TimeSpan.Zero)
            {
                break;
            }

            now += wait;
        }

        return turns;
    }

    [Fact]
    public void One_user_s_burst_holds_another_user_s_send_back_by_one_turn_not_by_the_whole_burst()
    {
        var queue = new SenderQueue(Limits(perSecond: 1));
        for (var i = 0; i < 29; i++)
        {
            queue.Enqueue(Sms("A", i));
        }

        queue.Enqueue(Sms("B", 0));

        var turns = Drain(queue, TimeSpan.FromMinutes(1));

        Assert.True(turns["B-0"] <= TimeSpan.FromSeconds(2), $"B waited {turns["B-0"]}");
        Assert.Equal(TimeSpan.FromSeconds(1), turns["B-0"]);
        Assert.Equal(TimeSpan.FromSeconds(29), turns["A-28"]);
    }

    [Fact]
    public void Turns_are_at_least_an_interval_apart_and_each_user_s_sends_keep_their_order()
    {
        var queue = new SenderQueue(Limits(perSecond: 4));
        for (var i = 0; i < 10; i++)
        {
            queue.Enqueue(Sms("A", i));
            queue.Enqueue(Sms("B", i));
        }

        var turns = Drain(queue, TimeSpan.FromMinutes(1)).OrderBy(t => t.Value).ToList();

        Assert.Equal(20, turns.Count);
        Assert.All(turns.Zip(turns.Skip(1)), pair => Assert.True(pair.Item2.Value - pair.Item1.Value >= TimeSpan.FromMilliseconds(250)));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"A-{i}"), turns.Select(t => t.Key).Where(k => k.StartsWith('A')));
        Assert.Equal(TimeSpan.FromSeconds(19 * 0.25), turns[^1].Value);
    }

    [Fact]
    public void The_first_send_goes_at_once_and_a_send_after_a_quiet_spell_does_not_wait()
    {
        var queue = new SenderQueue(Limits(perSecond: 1));
        queue.Enqueue(Sms("A", 0));
        Assert.NotNull(queue.TryTake(T0, out _));

        queue.Enqueue(Sms("A", 1));
        Assert.Null(queue.TryTake(T0 + TimeSpan.FromMilliseconds(400), out var wait));
        Assert.Equal(TimeSpan.FromMilliseconds(600), wait);
        Assert.NotNull(queue.TryTake(T0 + TimeSpan.FromSeconds(5), out _));
    }

    [Fact]
    public void A_message_id_asked_for_again_is_not_queued_twice_and_its_answer_is_remembered()
    {
        var queue = new SenderQueue(Limits());
        Assert.Equal(SenderStage.Waiting, queue.Enqueue(Sms("A", 0)));
        Assert.Equal(SenderStage.Waiting, queue.Enqueue(Sms("A", 0)));
        Assert.Equal(1, queue.Waiting);

        var next = queue.TryTake(T0, out _)!;
        Assert.Equal(SenderStage.Clearing, queue.Enqueue(Sms("A", 0)));
        queue.Clear(next.MessageId);
        Assert.Equal(SenderStage.Calling, queue.Enqueue(Sms("A", 0)));
        queue.Complete(next.MessageId, Accepted, T0);

        Assert.Equal(SenderStage.Done, queue.Enqueue(Sms("A", 0)));
        Assert.Same(Accepted, queue.OutcomeOf("A-0"));
        Assert.Null(queue.TryTake(T0 + TimeSpan.FromMinutes(1), out _));
        Assert.True(queue.IsIdle);
    }

    [Fact]
    public void Only_so_many_answers_are_remembered()
    {
        var queue = new SenderQueue(Limits(perSecond: 1000) with { RememberedOutcomes = 2 });
        for (var i = 0; i < 3; i++)
        {
            queue.Enqueue(Sms("A", i));
        }

        Drain(queue, TimeSpan.FromMinutes(1));

        Assert.Equal(SenderStage.Unknown, queue.StageOf("A-0"));
        Assert.Equal(SenderStage.Done, queue.StageOf("A-2"));
    }

    [Fact]
    public void A_full_queue_refuses_and_calls_under_way_are_capped()
    {
        var queue = new SenderQueue(Limits(perSecond: 1000, inFlight: 2, queued: 3));
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(SenderStage.Waiting, queue.Enqueue(Sms("A", i)));
        }

        Assert.Equal(SenderStage.Unknown, queue.Enqueue(Sms("B", 0)));

        Assert.NotNull(queue.TryTake(T0, out _));
        Assert.NotNull(queue.TryTake(T0 + TimeSpan.FromSeconds(1), out _));
        Assert.Null(queue.TryTake(T0 + TimeSpan.FromSeconds(2), out var wait));
        Assert.Equal(TimeSpan.Zero, wait);
        Assert.Equal(2, queue.InFlight);

        Assert.True(queue.Abandon("A-0"));
        Assert.Equal(SenderStage.Unknown, queue.StageOf("A-0"));
        Assert.NotNull(queue.TryTake(T0 + TimeSpan.FromSeconds(3), out _));
    }

    [Fact]
    public void Still_throttled_pauses_the_whole_sender_doubling_until_a_send_is_accepted()
    {
        var queue = new SenderQueue(Limits(perSecond: 1000) with { ThrottlePause = TimeSpan.FromSeconds(1), MaxThrottlePause = TimeSpan.FromSeconds(3) });
        var throttled = new SendOutcome.Rejected(new ProviderError("20429", "Too Many Requests"));
        for (var i = 0; i < 5; i++)
        {
            queue.Enqueue(Sms("A", i));
        }

        var now = T0;
        foreach (var expected in new[] { 1, 2, 3 })
        {
            var next = queue.TryTake(now, out _)!;
            queue.Clear(next.MessageId);
            queue.Complete(next.MessageId, throttled, now);
            Assert.Null(queue.TryTake(now, out var wait));
            Assert.Equal(TimeSpan.FromSeconds(expected), wait);
            now += wait;
        }

        var accepted = queue.TryTake(now, out _)!;
        queue.Clear(accepted.MessageId);
        queue.Complete(accepted.MessageId, Accepted, now);
        Assert.NotNull(queue.TryTake(now + TimeSpan.FromMilliseconds(1), out _));
    }
}
