using Akka.Actor;
using Akka.Hosting;
using MessagingServer.Security;
using MessagingServer.Sessions;
using MessagingServer.Tests.Sessions;
using MessagingServer.WebSockets;
using Microsoft.Extensions.Options;
using static MessagingServer.Sessions.ChatSessionCommands;

namespace MessagingServer.Tests.WebSockets;

public sealed class ClusterSocketCapSpecs : SessionRegionTestKit
{
    [Fact]
    public async Task The_cap_counts_every_socket_the_session_feeds_wherever_its_hub_is()
    {
        // Two hubs (two nodes, as the session sees them), one with two sockets and one with one.
        var nodeA = CreateTestProbe();
        var nodeB = CreateTestProbe();
        Region.Tell(new Connect("spread", null, nodeA.Ref, Socket: CreateTestProbe().Ref));
        ExpectMsg<Connected>();
        Region.Tell(new Connect("spread", null, nodeA.Ref, Socket: CreateTestProbe().Ref));
        ExpectMsg<Connected>();
        Region.Tell(new Connect("spread", null, nodeB.Ref, Socket: CreateTestProbe().Ref));
        ExpectMsg<Connected>();

        Assert.True(await Cap(maxPerUser: 3).IsReachedAsync("spread", CancellationToken.None));
        Assert.False(await Cap(maxPerUser: 4).IsReachedAsync("spread", CancellationToken.None));
        Assert.False(await Cap(maxPerUser: 1).IsReachedAsync("someone-else", CancellationToken.None));
    }

    [Fact]
    public async Task A_socket_that_left_no_longer_counts()
    {
        var hub = CreateTestProbe();
        var socket = CreateTestProbe();
        Region.Tell(new Connect("leaving", null, hub.Ref, Socket: socket.Ref));
        ExpectMsg<Connected>();
        Region.Tell(new Connect("leaving", null, hub.Ref, Socket: CreateTestProbe().Ref));
        ExpectMsg<Connected>();
        Assert.True(await Cap(maxPerUser: 2).IsReachedAsync("leaving", CancellationToken.None));

        Region.Tell(new Disconnect("leaving", hub.Ref, socket.Ref));

        await AwaitAssertAsync(async () => Assert.False(await Cap(maxPerUser: 2).IsReachedAsync("leaving", CancellationToken.None)));
    }

    private ClusterSocketCap Cap(int maxPerUser)
    {
        var registry = new ActorRegistry();
        registry.Register<ChatSessionRegistry>(Region);
        return new ClusterSocketCap(
            new RequiredActor<ChatSessionRegistry>(registry),
            Microsoft.Extensions.Options.Options.Create(new LimitsOptions { MaxSocketsPerUser = maxPerUser }),
            Options);
    }
}
