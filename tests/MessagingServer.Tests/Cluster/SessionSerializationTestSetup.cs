using System.Collections.Immutable;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Serialization;
using MessagingServer.Cluster.Serialization;

namespace MessagingServer.Tests.Cluster;

/// <summary>
/// An actor system setup with the session and client number serializers bound as the server binds them (the same types, through a
/// <see cref="SerializationSetup"/>, which is what Akka.Hosting's <c>WithCustomSerializer</c> builds).
/// </summary>
internal static class SessionSerializationTestSetup
{
    public static ActorSystemSetup With(string hocon) =>
        BootstrapSetup.Create()
            .WithConfig(ConfigurationFactory.ParseString(hocon))
            .And(SerializationSetup.Create(system => ImmutableHashSet.Create(
                SerializerDetails.Create(
                    SessionMessageSerializer.Name,
                    new SessionMessageSerializer(system),
                    SessionManifests.BoundTypes.ToImmutableHashSet()),
                SerializerDetails.Create(
                    ClientNumberMessageSerializer.Name,
                    new ClientNumberMessageSerializer(system),
                    ClientNumberManifests.BoundTypes.ToImmutableHashSet()))));
}
