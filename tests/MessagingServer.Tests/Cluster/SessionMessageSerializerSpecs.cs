using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;
using Akka.TestKit.Xunit2;
using MessagingServer.Cluster.Serialization;
using MessagingServer.Domain.Protocol;
using MessagingServer.Sessions;
using static MessagingServer.Sessions.ChatSessionCommands;

namespace MessagingServer.Tests.Cluster;

/// <summary>Every message sent to or from a session survives the trip through the serializer another node would use.</summary>
public sealed class SessionMessageSerializerSpecs : TestKit
{
    private const string Config = """
        akka.actor.provider = remote
        akka.remote.dot-netty.tcp.hostname = 127.0.0.1
        akka.remote.dot-netty.tcp.port = 0
        """;

    private readonly IActorRef _subscriber;
    private readonly IActorRef _socket;

    public SessionMessageSerializerSpecs()
        : base(SessionSerializationTestSetup.With(Config))
    {
        _subscriber = CreateTestProbe("hub").Ref;
        _socket = CreateTestProbe("socket").Ref;
    }

    [Fact]
    public void There_is_a_sample_of_every_bound_type_and_every_manifest_is_distinct()
    {
        var samples = Samples().Select(s => s.GetType()).ToHashSet();
        Assert.Equal(SessionManifests.BoundTypes.OrderBy(t => t.FullName), samples.OrderBy(t => t.FullName));
        var manifests = SessionManifests.BoundTypes.Select(SessionManifests.For).ToList();
        Assert.Equal(manifests.Count, manifests.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Every_session_message_goes_to_the_session_serializer_not_to_the_default_one()
    {
        foreach (var sample in Samples())
        {
            var serializer = Sys.Serialization.FindSerializerFor(sample);
            Assert.True(serializer is SessionMessageSerializer, $"{sample.GetType()} goes to {serializer.GetType()}");
            Assert.Equal(SessionMessageSerializer.SerializerId, serializer.Identifier);
        }

        Assert.NotEqual(MessagingServer.Persistence.StoredJsonSerializer.SerializerId, SessionMessageSerializer.SerializerId);
    }

    [Fact]
    public void Every_message_without_an_actor_ref_comes_back_equivalent()
    {
        foreach (var sample in Samples().Where(s => s is not (Connect or Disconnect or ReplayFor)))
        {
            var back = RoundTrip(sample);
            Assert.IsType(sample.GetType(), back);
            Assert.Equivalent(sample, back, strict: true);
        }
    }

    [Fact]
    public void A_connect_comes_back_with_refs_equal_to_the_originals()
    {
        var connect = new Connect("u1", 41, _subscriber, SendWelcome: false, Socket: _socket);

        var back = Assert.IsType<Connect>(RoundTrip(connect));

        Assert.Equal(connect, back);
        Assert.Equal(_subscriber, back.Subscriber);
        Assert.Equal(_socket, back.Socket);
        Assert.Null(Assert.IsType<Connect>(RoundTrip(new Connect("u1", null, _subscriber))).Socket);
    }

    [Fact]
    public void A_disconnect_and_a_replay_come_back_with_refs_equal_to_the_originals()
    {
        Assert.Equal(new Disconnect("u1", _subscriber), RoundTrip(new Disconnect("u1", _subscriber)));

        var replay = new ReplayFor(_socket, new FrameBatch([SessionMessageSamples.Frame(3), SessionMessageSamples.Frame(4)]), 4);
        var back = Assert.IsType<ReplayFor>(RoundTrip(replay));

        Assert.Equal(_socket, back.Socket);
        Assert.Equal(4, back.UpTo);
        Assert.Equivalent(replay.Batch, back.Batch, strict: true);
    }

    [Fact]
    public void An_actor_ref_travels_with_this_nodes_address()
    {
        var serializer = (SerializerWithStringManifest)Sys.Serialization.FindSerializerFor(new Disconnect("u1", _subscriber));
        var json = System.Text.Encoding.UTF8.GetString(Sys.Serialization.Serialize(new Disconnect("u1", _subscriber)));

        Assert.Contains(((ExtendedActorSystem)Sys).Provider.DefaultAddress.ToString(), json, StringComparison.Ordinal);
        Assert.Equal(SessionManifests.Disconnect, serializer.Manifest(new Disconnect("u1", _subscriber)));
    }

    [Fact]
    public void The_stop_message_comes_back_as_the_singleton()
    {
        Assert.Same(ChatSessionActor.StopSession.Instance, RoundTrip(ChatSessionActor.StopSession.Instance));
        Assert.Same(MessagingServer.Senders.SenderActor.StopSender.Instance, RoundTrip(MessagingServer.Senders.SenderActor.StopSender.Instance));
    }

    [Fact]
    public void An_unknown_manifest_fails_with_a_serialization_exception()
    {
        var e = Assert.Throws<SerializationException>(() => Sys.Serialization.Deserialize("{}"u8.ToArray(), SessionMessageSerializer.SerializerId, "connect.v99"));
        Assert.Contains("connect.v99", e.Message, StringComparison.Ordinal);
        Assert.Throws<SerializationException>(() => Sys.Serialization.Deserialize("not json"u8.ToArray(), SessionMessageSerializer.SerializerId, SessionManifests.Send));
    }

    [Fact]
    public void A_session_unavailable_failure_reaches_the_caller_as_that_exception()
    {
        var failure = new Status.Failure(new SessionUnavailableException("u1", "storage is unavailable; retry shortly"));

        var back = Assert.IsType<Status.Failure>(RoundTrip(failure));

        var cause = Assert.IsType<SessionUnavailableException>(back.Cause);
        Assert.Equal("u1", cause.UserId);
        Assert.Equal(failure.Cause.Message, cause.Message);
    }

    [Fact]
    public void A_frame_keeps_its_exact_bytes()
    {
        var frame = new ServerFrame(5, [0x7b, 0x22, 0xc3, 0xa9, 0x22, 0x7d, 0x00, 0xff]);

        var back = Assert.IsType<ServerFrame>(RoundTrip(frame));

        Assert.Equal(5, back.Seq);
        Assert.Equal(frame.Utf8, back.Utf8);
    }

    private IEnumerable<object> Samples() => SessionMessageSamples.All(_subscriber, _socket);

    /// <summary>As remoting does: the serializer found for the message, its manifest, and back by id and manifest.</summary>
    private object RoundTrip(object message)
    {
        var serializer = Sys.Serialization.FindSerializerFor(message);
        var bytes = Sys.Serialization.Serialize(message);
        return Sys.Serialization.Deserialize(bytes, serializer.Identifier, Akka.Serialization.Serialization.ManifestFor(serializer, message));
    }
}
