using System.Runtime.Serialization;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using MessagingServer.ClientNumbers;
using MessagingServer.Cluster.Serialization;

namespace MessagingServer.Tests.Cluster;

/// <summary>Every message sent to or from a client number survives the trip through the serializer another node would use.</summary>
public sealed class ClientNumberMessageSerializerSpecs : TestKit
{
    private const string Config = """
        akka.actor.provider = remote
        akka.remote.dot-netty.tcp.hostname = 127.0.0.1
        akka.remote.dot-netty.tcp.port = 0
        """;

    public ClientNumberMessageSerializerSpecs()
        : base(SessionSerializationTestSetup.With(Config))
    {
    }

    [Fact]
    public void There_is_a_sample_of_every_bound_type_and_every_manifest_is_distinct_from_the_sessions()
    {
        var samples = ClientNumberMessageSamples.All().Select(s => s.GetType()).ToHashSet();
        Assert.Equal(ClientNumberManifests.BoundTypes.OrderBy(t => t.FullName), samples.OrderBy(t => t.FullName));
        var manifests = ClientNumberManifests.BoundTypes.Select(ClientNumberManifests.For)
            .Concat(SessionManifests.BoundTypes.Select(SessionManifests.For)).ToList();
        Assert.Equal(manifests.Count, manifests.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Every_client_number_message_goes_to_its_serializer_not_to_the_default_one()
    {
        foreach (var sample in ClientNumberMessageSamples.All())
        {
            var serializer = Sys.Serialization.FindSerializerFor(sample);
            Assert.True(serializer is ClientNumberMessageSerializer, $"{sample.GetType()} goes to {serializer.GetType()}");
        }

        Assert.NotEqual(SessionMessageSerializer.SerializerId, ClientNumberMessageSerializer.SerializerId);
        Assert.NotEqual(MessagingServer.Persistence.StoredJsonSerializer.SerializerId, ClientNumberMessageSerializer.SerializerId);
    }

    [Fact]
    public void Every_message_comes_back_equal()
    {
        foreach (var sample in ClientNumberMessageSamples.All())
        {
            var back = RoundTrip(sample);
            Assert.IsType(sample.GetType(), back);
            Assert.Equal(sample, back);
        }
    }

    [Fact]
    public void The_stop_message_comes_back_as_the_singleton()
    {
        Assert.Same(ClientNumberActor.Stop.Instance, RoundTrip(ClientNumberActor.Stop.Instance));
    }

    [Fact]
    public void An_unknown_manifest_or_bad_json_fails_with_a_serialization_exception()
    {
        var e = Assert.Throws<SerializationException>(() => Sys.Serialization.Deserialize("{}"u8.ToArray(), ClientNumberMessageSerializer.SerializerId, "client-number-claim.v99"));
        Assert.Contains("client-number-claim.v99", e.Message, StringComparison.Ordinal);
        Assert.Throws<SerializationException>(() => Sys.Serialization.Deserialize("not json"u8.ToArray(), ClientNumberMessageSerializer.SerializerId, ClientNumberManifests.Claim));
    }

    [Fact]
    public void A_client_number_unavailable_failure_reaches_the_caller_as_that_exception()
    {
        var failure = new Status.Failure(new ClientNumberUnavailableException("+15550001111", "storage is unavailable; retry shortly"));

        var back = Assert.IsType<Status.Failure>(RoundTrip(failure));

        var cause = Assert.IsType<ClientNumberUnavailableException>(back.Cause);
        Assert.Equal("+15550001111", cause.ClientNumber);
        Assert.Equal(failure.Cause.Message, cause.Message);
    }

    /// <summary>As remoting does: the serializer found for the message, its manifest, and back by id and manifest.</summary>
    private object RoundTrip(object message)
    {
        var serializer = Sys.Serialization.FindSerializerFor(message);
        var bytes = Sys.Serialization.Serialize(message);
        return Sys.Serialization.Deserialize(bytes, serializer.Identifier, Akka.Serialization.Serialization.ManifestFor(serializer, message));
    }
}
