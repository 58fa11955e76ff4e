using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using MessagingServer.Domain.Protocol;
using MessagingServer.Sessions;
using MessagingServer.WebSockets;

namespace MessagingServer.Tests.WebSockets;

public sealed class SocketOutboxSpecs : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly IMaterializer _materializer;

    public SocketOutboxSpecs()
    {
        _materializer = Sys.Materializer();
    }

    [Fact]
    public async Task What_is_told_comes_out_in_order_and_success_completes_after_the_waiting_ones()
    {
        var (outbox, all) = Source.FromGraph(new SocketOutbox(16)).ToMaterialized(Sink.Seq<object>(), Keep.Both).Run(_materializer);
        var reference = await outbox.WaitAsync(Timeout);

        foreach (var i in Enumerable.Range(1, 10))
        {
            reference.Tell(i);
        }

        reference.Tell(new Status.Success(null));
        reference.Tell("after the end");

        Assert.Equal(Enumerable.Range(1, 10).Cast<object>(), await all.WaitAsync(Timeout));
    }

    [Fact]
    public async Task A_batch_comes_out_frame_by_frame_in_order_before_what_follows()
    {
        // Each element goes to the probe and waits for its answer, so the told messages queue up meanwhile.
        var consumer = CreateTestProbe();
        var outbox = Source.FromGraph(new SocketOutbox(4))
            .To(Sink.ActorRefWithAck<object>(consumer.Ref, "init", "ack", "done"))
            .Run(_materializer);
        var reference = await outbox.WaitAsync(Timeout);
        var frames = Enumerable.Range(1, 50).Select(i => new ServerFrame(i, [(byte)'x'])).ToList();

        reference.Tell("first");
        reference.Tell(new FrameBatch(frames));
        reference.Tell(new FrameBatch([]));
        reference.Tell("live");
        reference.Tell(new Status.Success(null));

        var seen = new List<object>();
        consumer.ExpectMsg("init", Timeout);
        consumer.LastSender.Tell("ack");
        while (consumer.ReceiveOne(Timeout) is { } element && !Equals(element, "done"))
        {
            seen.Add(element);
            consumer.LastSender.Tell("ack");
        }

        Assert.Equal(["first", .. frames, "live"], seen);
    }

    [Fact]
    public async Task More_waiting_than_the_buffer_holds_fails_with_overflow()
    {
        var gate = new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously);
        var (outbox, done) = Source.FromGraph(new SocketOutbox(4))
            .SelectAsync(1, _ => gate.Task)
            .ToMaterialized(Sink.Ignore<object>(), Keep.Both)
            .Run(_materializer);
        var reference = await outbox.WaitAsync(Timeout);

        // One is taken by the stalled consumer; four wait; the rest do not fit.
        foreach (var i in Enumerable.Range(1, 10))
        {
            reference.Tell(i);
        }

        await Assert.ThrowsAsync<BufferOverflowException>(() => done.WaitAsync(Timeout));
    }

    [Theory]
    [InlineData(11, typeof(InvalidOperationException))]
    [InlineData(12, typeof(BufferOverflowException))]
    public async Task Behind_a_batch_going_out_as_many_more_as_it_has_frames_left_may_wait(int live, Type failure)
    {
        // The consumer takes the batch's first frame and never finishes it: 9 frames are left, so 2 + 9 may wait.
        var (outbox, done) = Source.FromGraph(new SocketOutbox(2))
            .SelectAsync(1, _ => new TaskCompletionSource<object>().Task)
            .ToMaterialized(Sink.Ignore<object>(), Keep.Both)
            .Run(_materializer);
        var reference = await outbox.WaitAsync(Timeout);

        reference.Tell(new FrameBatch([.. Enumerable.Range(1, 10).Select(i => new ServerFrame(i, [(byte)'x']))]));
        foreach (var i in Enumerable.Range(1, live))
        {
            reference.Tell($"live {i}");
        }

        // Messages are handled in order: this failure is what ends the stream unless the live ones overflowed first.
        reference.Tell(new Status.Failure(new InvalidOperationException("told after the live ones")));

        var error = await Record.ExceptionAsync(() => done.WaitAsync(Timeout));
        Assert.IsType(failure, error);
    }

    [Fact]
    public async Task A_failure_told_to_it_fails_the_stream()
    {
        var (outbox, done) = Source.FromGraph(new SocketOutbox(4)).ToMaterialized(Sink.Ignore<object>(), Keep.Both).Run(_materializer);
        var reference = await outbox.WaitAsync(Timeout);

        reference.Tell(new Status.Failure(new InvalidOperationException("session gone")));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => done.WaitAsync(Timeout));
        Assert.Equal("session gone", error.Message);
    }

    [Fact]
    public async Task A_watcher_learns_when_the_stream_stops()
    {
        var (outbox, done) = Source.FromGraph(new SocketOutbox(4)).ToMaterialized(Sink.Ignore<object>(), Keep.Both).Run(_materializer);
        var reference = await outbox.WaitAsync(Timeout);
        var watcher = CreateTestProbe();
        watcher.Watch(reference);

        reference.Tell(new Status.Success(null));
        await done.WaitAsync(Timeout);

        watcher.ExpectTerminated(reference, Timeout);
    }
}
