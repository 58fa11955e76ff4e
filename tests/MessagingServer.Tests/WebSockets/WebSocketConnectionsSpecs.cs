using System.Net.WebSockets;
using MessagingServer.Security;
using MessagingServer.WebSockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MessagingServer.Tests.WebSockets;

public sealed class WebSocketConnectionsSpecs
{
    private sealed class Lifetime : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication()
        {
        }
    }

    private static WebSocketConnections Connections(int perUser, int total) => new(
        new WebSocketSettings(),
        Options.Create(new LimitsOptions { MaxSocketsPerUser = perUser, MaxSockets = total, MaxAnonymousSockets = total }),
        new Lifetime(),
        NullLogger<WebSocketConnections>.Instance);

    private static WebSocket Socket() => WebSocket.CreateFromStream(new MemoryStream(), isServer: true, subProtocol: null, Timeout.InfiniteTimeSpan);

    [Fact]
    public void A_user_is_refused_at_its_cap_while_others_are_admitted()
    {
        var connections = Connections(perUser: 2, total: 10);

        Assert.Equal(SocketAdmission.Admitted, connections.TryReserve("message", "alice", out var first));
        Assert.Equal(SocketAdmission.Admitted, connections.TryReserve("message", "alice", out var second));
        Assert.Equal(SocketAdmission.UserCapReached, connections.TryReserve("message", "alice", out var third));
        Assert.Null(third);
        Assert.False(connections.CanAccept("alice"));
        Assert.True(connections.CanAccept("bob"));
        Assert.Equal(SocketAdmission.Admitted, connections.TryReserve("message", "bob", out _));
        first!.Dispose();
        second!.Dispose();
    }

    [Fact]
    public void Users_and_anonymous_sockets_fill_pools_of_their_own()
    {
        var connections = new WebSocketConnections(
            new WebSocketSettings(),
            Options.Create(new LimitsOptions { MaxSocketsPerUser = 10, MaxSockets = 1, MaxAnonymousSockets = 1 }),
            new Lifetime(),
            NullLogger<WebSocketConnections>.Instance);
        Assert.Equal(SocketAdmission.Admitted, connections.TryReserve("affirm", null, out _));

        Assert.Equal(SocketAdmission.AnonymousCapReached, connections.TryReserve("affirm", null, out _));
        Assert.Equal(SocketAdmission.Admitted, connections.TryReserve("message", "alice", out _));
        Assert.Equal(SocketAdmission.ServerCapReached, connections.TryReserve("message", "bob", out _));
        Assert.False(connections.CanAccept(null));
        Assert.Equal(2, connections.Reserved);
    }

    [Fact]
    public void One_address_is_refused_at_its_cap_on_every_path_and_others_are_not()
    {
        var connections = new WebSocketConnections(
            new WebSocketSettings(),
            Options.Create(new LimitsOptions { MaxSocketsPerIp = 2 }),
            new Lifetime(),
            NullLogger<WebSocketConnections>.Instance);
        var here = System.Net.IPAddress.Parse("198.51.100.1");
        connections.TryReserve("affirm", null, here, out _);
        connections.TryReserve("message", "alice", here, out var alice);

        Assert.Equal(SocketAdmission.AddressCapReached, connections.TryReserve("message", "bob", here, out _));
        Assert.Equal(SocketAdmission.AddressCapReached, connections.TryReserve("affirm", null, here.MapToIPv6(), out _));
        Assert.Equal(SocketAdmission.Admitted, connections.TryReserve("message", "bob", System.Net.IPAddress.Parse("198.51.100.2"), out _));
        alice!.Dispose();
        Assert.Equal(SocketAdmission.Admitted, connections.TryReserve("message", "bob", here, out _));
    }

    [Fact]
    public async Task A_tracked_socket_holds_its_slot_until_it_is_disposed_once()
    {
        var connections = Connections(perUser: 1, total: 10);
        connections.TryReserve("message", "alice", out var reservation);
        var tracked = reservation!.Track(Socket());

        Assert.Equal(1, connections.Count);
        Assert.Equal("alice", tracked.UserId);
        Assert.False(connections.CanAccept("alice"));
        reservation.Dispose(); // the socket owns the slot now: nothing to free
        Assert.Equal(1, connections.CountOfUser("alice"));

        await tracked.DisposeAsync();
        Assert.Equal(0, connections.Count);
        Assert.Equal(0, connections.Reserved);
        Assert.True(connections.CanAccept("alice"));
    }

    [Fact]
    public void An_unused_reservation_frees_its_slot_once()
    {
        var connections = Connections(perUser: 1, total: 1);
        connections.TryReserve("message", "alice", out var reservation);

        reservation!.Dispose();
        reservation.Dispose();

        Assert.Equal(0, connections.Reserved);
        Assert.Equal(0, connections.CountOfUser("alice"));
        Assert.Throws<InvalidOperationException>(() => reservation.Track(Socket()));
    }

    [Fact]
    public async Task Track_without_a_reservation_still_counts_against_the_anonymous_cap()
    {
        var connections = Connections(perUser: 1, total: 1);
        var tracked = connections.Track(Socket(), "legacy");

        Assert.False(connections.CanAccept(null));

        await tracked.DisposeAsync();
        Assert.True(connections.CanAccept(null));
    }
}
