using Akka.Actor;
using Akka.Hosting;
using Akka.Remote.Hosting;
using MessagingServer.Cluster.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MessagingServer.Tests.Cluster;

/// <summary>The binding as the server makes it, through Akka.Hosting, not a copy of it.</summary>
public sealed class SessionSerializationSetupSpecs
{
    [Fact]
    public async Task The_hosted_actor_system_sends_every_session_and_client_number_message_through_its_serializer()
    {
        using var host = new HostBuilder()
            .ConfigureServices(services => services.AddAkka("binding", builder => builder
                .WithRemoting("127.0.0.1", 0)
                .WithSessionMessageSerializer()
                .WithClientNumberMessageSerializer()))
            .Build();
        await host.StartAsync();
        try
        {
            var system = host.Services.GetRequiredService<ActorSystem>();
            foreach (var sample in SessionMessageSamples.All(system.DeadLetters, system.DeadLetters))
            {
                Assert.IsType<SessionMessageSerializer>(system.Serialization.FindSerializerFor(sample));
            }

            foreach (var sample in ClientNumberMessageSamples.All())
            {
                Assert.IsType<ClientNumberMessageSerializer>(system.Serialization.FindSerializerFor(sample));
            }
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
