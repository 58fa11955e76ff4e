using MessagingServer.Cluster.Serialization;
using MessagingServer.Domain.Protocol;
using MessagingServer.Sessions;

namespace MessagingServer.Tests.Cluster;

public sealed class FrameBatchChunksSpecs
{
    [Fact]
    public void A_long_replay_is_split_in_order_within_the_bounds()
    {
        var frames = Enumerable.Range(1, 1000).Select(i => Frame(i, 100 + (i % 7 * 50))).ToList();

        var batches = FrameBatchChunks.Split(frames, maxBytes: 10_000, maxFrames: 64).ToList();

        Assert.Equal(frames, batches.SelectMany(b => b.Frames));
        Assert.All(batches, b => Assert.InRange(b.Frames.Count, 1, 64));
        Assert.All(batches, b => Assert.InRange(b.Frames.Sum(f => f.Utf8.Length), 1, 10_000));
    }

    [Fact]
    public void A_short_replay_stays_one_batch()
    {
        var frames = Enumerable.Range(1, 3).Select(i => Frame(i, 10)).ToList();

        var batch = Assert.Single(FrameBatchChunks.Split(frames));

        Assert.Equal(frames, batch.Frames);
    }

    [Fact]
    public void No_frames_still_make_one_empty_batch()
    {
        Assert.Empty(Assert.Single(FrameBatchChunks.Split([])).Frames);
    }

    [Fact]
    public void A_frame_bigger_than_the_byte_bound_goes_alone()
    {
        var frames = new[] { Frame(1, 10), Frame(2, 500), Frame(3, 10) };

        var batches = FrameBatchChunks.Split(frames, maxBytes: 100).ToList();

        Assert.Equal([[frames[0]], [frames[1]], [frames[2]]], batches.Select(b => b.Frames.ToArray()));
    }

    internal static ServerFrame Frame(long seq, int bytes) => new(seq, Enumerable.Repeat((byte)'x', bytes).ToArray());

    internal static FrameBatch Largest(int frameBytes) =>
        new([.. Enumerable.Range(1, FrameBatchChunks.MaxFrames).Select(i => Frame(long.MaxValue - i, frameBytes))]);
}
