using MessagingServer.Domain.Protocol;
using MessagingServer.Sessions;

namespace MessagingServer.Cluster.Serialization;

/// <summary>
/// Splits a replay into <see cref="FrameBatch"/>es that each fit in one remote message. Akka.Remote refuses a
/// message over <c>akka.remote.dot-netty.tcp.maximum-frame-size</c> (128,000 bytes by default): the sending node
/// drops it and only logs an error, so a replay of thousands of events sent as one batch would never arrive.
/// A batch holds at most <see cref="MaxFrames"/> frames and <see cref="MaxBytes"/> bytes of frames, about 90 KB once
/// written (base64 and a few bytes per frame), leaving room for the envelope; a single frame bigger than that (an
/// event frame is at most about 12 KB) goes alone.
/// </summary>
public static class FrameBatchChunks
{
    public const int MaxBytes = 48 * 1024;

    public const int MaxFrames = 256;

    /// <summary>
    /// The frames in order, in as few batches as the bounds allow. There is always at least one batch, empty when
    /// there are no frames, so a subscriber hears of every replay.
    /// </summary>
    public static IEnumerable<FrameBatch> Split(IEnumerable<ServerFrame> frames, int maxBytes = MaxBytes, int maxFrames = MaxFrames)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxFrames);
        var batch = new List<ServerFrame>();
        var bytes = 0;
        var told = false;
        foreach (var frame in frames)
        {
            if (batch.Count > 0 && (batch.Count == maxFrames || bytes + frame.Utf8.Length > maxBytes))
            {
                yield return new FrameBatch(batch);
                told = true;
                (batch, bytes) = ([], 0);
            }

            batch.Add(frame);
            bytes += frame.Utf8.Length;
        }

        if (batch.Count > 0 || !told)
        {
            yield return new FrameBatch(batch);
        }
    }
}
