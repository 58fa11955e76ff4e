using Akka.Hosting;

namespace MessagingServer.Cluster.Serialization;

/// <summary>Binds every session message (<see cref="SessionManifests.BoundTypes"/>) to <see cref="SessionMessageSerializer"/>.</summary>
public static class SessionSerializationSetup
{
    public static AkkaConfigurationBuilder WithSessionMessageSerializer(this AkkaConfigurationBuilder builder) =>
        builder.WithCustomSerializer(
            SessionMessageSerializer.Name,
            SessionManifests.BoundTypes,
            system => new SessionMessageSerializer(system));

    /// <summary>Binds every client number message (<see cref="ClientNumberManifests.BoundTypes"/>) to <see cref="ClientNumberMessageSerializer"/>.</summary>
    public static AkkaConfigurationBuilder WithClientNumberMessageSerializer(this AkkaConfigurationBuilder builder) =>
        builder.WithCustomSerializer(
            ClientNumberMessageSerializer.Name,
            ClientNumberManifests.BoundTypes,
            system => new ClientNumberMessageSerializer(system));
}
