using System.Net;
using MessagingServer.EndToEnd.Infrastructure;
using MessagingServer.WebSockets;

namespace MessagingServer.EndToEnd.Security;

public sealed class SocketCapSpecs
{
    private static Task<RunningServer> StartAsync(int perUser, int total, int anonymous = 100, int perIp = 1000, string? anonymousIdle = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Limits:MaxSocketsPerUser"] = Invariant(perUser),
            ["Limits:MaxSockets"] = Invariant(total),
            ["Limits:MaxAnonymousSockets"] = Invariant(anonymous),
            ["Limits:MaxSocketsPerIp"] = Invariant(perIp),
        };
        if (anonymousIdle is not null)
        {
            settings["Limits:AnonymousIdleTimeout"] = anonymousIdle;
        }

        return RunningServer.StartAsync(settings, map: SecuredTestEndpoints.Map);
    }

    private static string Invariant(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

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
    public async Task A_server_at_its_caps_answers_503_on_every_socket_path()
    {
        await using var server = await StartAsync(perUser: 10, total: 2, anonymous: 1);
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

    [Fact]
    public async Task Anonymous_sockets_at_their_cap_leave_every_user_slot_free()
    {
        await using var server = await StartAsync(perUser: 10, total: 2, anonymous: 2);
        await using var echo1 = await SocketClient.ConnectAsync(server.WebSocketUri("/affirm"));
        await using var echo2 = await SocketClient.ConnectAsync(server.WebSocketUri("/affirm"));

        var echoStatus = await Handshake.RefusedStatusAsync(server.WebSocketUri("/affirm"));
        await using var alice = await ConnectAsync(server, "alice");
        await using var bob = await ConnectAsync(server, "bob");
        await bob.SendTextAsync("hi");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, echoStatus);
        Assert.Equal("bob: hi", await bob.ReceiveTextAsync());
    }

    [Fact]
    public async Task One_address_at_its_cap_gets_429_whatever_the_path()
    {
        await using var server = await StartAsync(perUser: 10, total: 100, perIp: 2);
        await using var echo = await SocketClient.ConnectAsync(server.WebSocketUri("/affirm"));
        await using var alice = await ConnectAsync(server, "alice");

        var refused = await Handshake.SendUpgradeAsync(server.Http, $"/message/bob/probe?access_token={server.TokenFor("bob")}");
        var echoStatus = await Handshake.RefusedStatusAsync(server.WebSocketUri("/affirm"));
        await echo.DisposeAsync();
        var connections = server.Services.GetRequiredService<WebSocketConnections>();
        await Eventually.TrueAsync(() => connections.Count == 1);
        await using var bob = await ConnectAsync(server, "bob");
        await bob.SendTextAsync("in");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        Assert.Equal("too_many_sockets", refused.Code);
        Assert.Equal(HttpStatusCode.TooManyRequests, echoStatus);
        Assert.Equal("bob: in", await bob.ReceiveTextAsync());
    }

    [Fact]
    public async Task An_idle_anonymous_socket_is_closed_and_frees_its_slot()
    {
        await using var server = await StartAsync(perUser: 10, total: 100, anonymous: 1, anonymousIdle: "00:00:01");
        await using var idle = await SocketClient.ConnectAsync(server.WebSocketUri("/affirm"));

        var status = await idle.ReceiveCloseAsync(TimeSpan.FromSeconds(15));
        var connections = server.Services.GetRequiredService<WebSocketConnections>();
        await Eventually.TrueAsync(() => connections.Count == 0);
        await using var next = await SocketClient.ConnectAsync(server.WebSocketUri("/affirm"));
        await next.SendTextAsync("x");

        Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.PolicyViolation, status);
        Assert.Equal("You said x", await next.ReceiveTextAsync());
    }

    [Fact]
    public async Task An_anonymous_socket_that_talks_is_not_idle()
    {
        await using var server = await StartAsync(perUser: 10, total: 100, anonymousIdle: "00:00:02");
        await using var echo = await SocketClient.ConnectAsync(server.WebSocketUri("/affirm"));
        var started = System.Diagnostics.Stopwatch.StartNew();

        var answers = 0;
        while (started.Elapsed < TimeSpan.FromSeconds(4))
        {
            await echo.SendTextAsync("still here");
            Assert.Equal("You said still here", await echo.ReceiveTextAsync());
            answers++;
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }

        Assert.True(answers >= 4);
        Assert.Equal(System.Net.WebSockets.WebSocketState.Open, echo.Socket.State);
    }
}
