using System.Net;
using MessagingServer.EndToEnd.Infrastructure;
using MessagingServer.WebSockets;

namespace MessagingServer.EndToEnd.Security;

public sealed class SocketCapSpecs
{
    private static Task<RunningServer> StartAsync(int perUser, int total) => RunningServer.StartAsync(
        new Dictionary<string, string?>
        {
            ["Limits:MaxSocketsPerUser"] = perUser.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Limits:MaxSockets"] = total.ToString(System.Globalization.CultureInfo.InvariantCulture),
        },
        map: SecuredTestEndpoints.Map);

    private static Task<SocketClient> ConnectAsync(RunningServer server, string user) =>
        SocketClient.ConnectAsync(server.WebSocketUri($"/message/{user}/probe?access_token={server.TokenFor(user)}"));

    [Fact]
    public async Task A_user_at_its_cap_gets_429_before_the_upgrade_while_other_users_connect()
    {
        await using var server = await StartAsync(perUser: 2, total: 100);
        await using var first = await ConnectAsync(server, "alice");
        await using var second = await ConnectAsync(server, "alice");

        var status = await Handshake.RefusedStatusAsync(server.WebSocketUri($"/message/alice/probe?access_token={server.TokenFor("alice")}"));
        var refused = await Handshake.SendUpgradeAsync(server.Http, $"/message/alice/probe?access_token={server.TokenFor("alice")}");
        await using var bob = await ConnectAsync(server, "bob");
        await bob.SendTextAsync("hi");

        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Equal("too_many_sockets", refused.Code);
        Assert.Equal("bob: hi", await bob.ReceiveTextAsync());
        Assert.Equal(2, server.Services.GetRequiredService<WebSocketConnections>().CountOfUser("alice"));
    }

    [Fact]
    public async Task A_closed_socket_frees_its_users_slot()
    {
        await using var server = await StartAsync(perUser: 1, total: 100);
        var connections = server.Services.GetRequiredService<WebSocketConnections>();
        var first = await ConnectAsync(server, "alice");
        await first.DisposeAsync();

        await Eventually.TrueAsync(() => connections.CountOfUser("alice") == 0);
        await using var again = await ConnectAsync(server, "alice");
        await again.SendTextAsync("back");

        Assert.Equal("alice: back", await again.ReceiveTextAsync());
    }

    [Fact]
    public async Task A_server_at_its_cap_answers_503_on_every_socket_path()
    {
        await using var server = await StartAsync(perUser: 10, total: 3);
        await using var echo = await SocketClient.ConnectAsync(server.WebSocketUri("/affirm"));
        await using var alice = await ConnectAsync(server, "alice");
        await using var bob = await ConnectAsync(server, "bob");

        var userStatus = await Handshake.RefusedStatusAsync(server.WebSocketUri($"/message/carol/probe?access_token={server.TokenFor("carol")}"));
        var echoStatus = await Handshake.RefusedStatusAsync(server.WebSocketUri("/affirm"));
        var refused = await Handshake.SendUpgradeAsync(server.Http, "/affirm");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, userStatus);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, echoStatus);
        Assert.Equal("too_many_sockets", refused.Code);
        Assert.Equal(3, server.Services.GetRequiredService<WebSocketConnections>().Count);
    }
}
