using Akka.Actor;
using Akka.TestKit.Xunit2;
using MessagingServer.Cluster.Serialization;
using MessagingServer.Domain.Protocol;
using MessagingServer.Sessions;

namespace MessagingServer.Tests.Cluster;

/// <summary>A replay between two real nodes (two actor systems on 127.0.0.1), through Akka.Remote's TCP transport.</summary>
public sealed class RemoteReplaySpecs : TestKit
{
    /// <summary>Akka.Remote's default <c>maximum-frame-size</c>, which the server keeps.</summary>
    private const int MaximumFrameSize = 128_000;

    private const string Config = """
        akka.actor.provider = remote
        akka.remote.dot-netty.tcp.hostname = 127.0.0.1
        akka.remote.dot-netty.tcp.port = 0
        akka.test.single-expect-default = 10s
        """;

    private readonly ActorSystem _other;

    public RemoteReplaySpecs()
        : base(SessionSerializationTestSetup.With(Config)) =>
        _other = ActorSystem.Create(Sys.Name, SessionSerializationTestSetup.With(Config));

    [Fact]
    public async Task A_replay_bigger_than_the_frame_size_arrives_whole_and_in_order_in_chunks()
    {
        var hub = CreateTestProbe(_other);
        var socket = CreateTestProbe(_other);
        var frames = Enumerable.Range(1, 2000).Select(i => FrameBatchChunksSpecs.Frame(i, 200 + (i % 5))).ToList();
        var chunks = FrameBatchChunks.Split(frames).ToList();
        Assert.True(Sys.Serialization.Serialize(new FrameBatch(frames)).Length > MaximumFrameSize);

        var (remoteHub, remoteSocket) = (await OnThisNode(hub.Ref), await OnThisNode(socket.Ref));
        foreach (var chunk in chunks)
        {
            remoteHub.Tell(new ReplayFor(remoteSocket, chunk, UpTo: 2000));
        }

        var received = new List<ServerFrame>();
        for (var i = 0; i < chunks.Count; i++)
        {
            var replay = hub.ExpectMsg<ReplayFor>();
            Assert.Equal(socket.Ref, replay.Socket);
            Assert.Equal(2000, replay.UpTo);
            received.AddRange(replay.Batch.Frames);
        }

        Assert.Equal(frames.Select(f => f.Seq), received.Select(f => f.Seq));
        Assert.All(received, f => Assert.Equal(frames[(int)f.Seq - 1].Utf8, f.Utf8));
    }

    [Fact]
    public async Task The_same_replay_as_one_message_never_arrives()
    {
        var hub = CreateTestProbe(_other);
        var frames = Enumerable.Range(1, 2000).Select(i => FrameBatchChunksSpecs.Frame(i, 200)).ToList();
        var remoteHub = await OnThisNode(hub.Ref);

        remoteHub.Tell(new FrameBatch(frames));
        remoteHub.Tell(new FrameBatch([FrameBatchChunksSpecs.Frame(2001, 10)]));

        // Messages between two actors keep their order: the one after it arrives, the oversized one was dropped.
        Assert.Equal(2001, Assert.Single(hub.ExpectMsg<FrameBatch>().Frames).Seq);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(FrameBatchChunks.MaxBytes / FrameBatchChunks.MaxFrames)]
    [InlineData(FrameBatchChunks.MaxBytes)]
    public void The_biggest_chunk_fits_in_a_remote_frame_with_room_for_the_envelope(int frameBytes)
    {
        var frames = FrameBatchChunksSpecs.Largest(frameBytes).Frames;
        var chunk = FrameBatchChunks.Split(frames).First();
        var replay = new ReplayFor(CreateTestProbe().Ref, chunk, long.MaxValue);

        Assert.InRange(Sys.Serialization.Serialize(replay).Length, 1, MaximumFrameSize - 16_000);
    }

    protected override void AfterAll()
    {
        Shutdown(_other);
        base.AfterAll();
    }

    /// <summary>A ref on this node to an actor of the other node, as remoting resolves it.</summary>
    private Task<IActorRef> OnThisNode(IActorRef otherNodeActor)
    {
        var address = ((ExtendedActorSystem)_other).Provider.DefaultAddress;
        return Sys.ActorSelection(otherNodeActor.Path.ToStringWithAddress(address)).ResolveOne(TimeSpan.FromSeconds(10));
    }
}
