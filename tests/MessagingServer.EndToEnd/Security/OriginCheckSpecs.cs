using System.Net;
using MessagingServer.EndToEnd.Infrastructure;

namespace MessagingServer.EndToEnd.Security;

public sealed class OriginCheckSpecs(SecuredServerFixture fixture) : IClassFixture<SecuredServerFixture>
{
    private RunningServer Server => fixture.Server;

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("http://app.example")]
    [InlineData("null")]
    public async Task A_cross_origin_handshake_to_the_echo_is_refused_with_403_before_the_upgrade(string origin)
    {
        var status = await Handshake.RefusedStatusAsync(Server.WebSocketUri("/affirm"), o => o.SetRequestHeader("Origin", origin));
        var refused = await Handshake.SendUpgradeAsync(Server.Http, "/affirm", h => h.Add("Origin", origin));

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Equal("application/problem+json", refused.MediaType);
        Assert.Equal("origin_not_allowed", refused.Code);
    }

    [Fact]
    public async Task A_cross_origin_handshake_with_a_valid_token_is_still_refused()
    {
        var token = Server.TokenFor("alice");

        var status = await Handshake.RefusedStatusAsync(
            Server.WebSocketUri($"/message/alice/probe?access_token={token}"), o => o.SetRequestHeader("Origin", "https://evil.example"));
        var refused = await Handshake.SendUpgradeAsync(
            Server.Http, $"/message/alice/probe?access_token={token}", h => h.Add("Origin", "https://evil.example"));

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("origin_not_allowed", refused.Code);
    }

    [Fact]
    public async Task An_allowed_origin_opens_the_echo_and_the_user_socket()
    {
        var token = Server.TokenFor("alice");

        await using var echo = await SocketClient.ConnectAsync(
            Server.WebSocketUri("/affirm"), o => o.SetRequestHeader("Origin", SecuredServerFixture.AllowedOrigin));
        await using var user = await SocketClient.ConnectAsync(
            Server.WebSocketUri($"/message/alice/probe?access_token={token}"), o => o.SetRequestHeader("Origin", SecuredServerFixture.AllowedOrigin));
        await echo.SendTextAsync("a");
        await user.SendTextAsync("b");

        Assert.Equal("You said a", await echo.ReceiveTextAsync());
        Assert.Equal("alice: b", await user.ReceiveTextAsync());
    }

    [Fact]
    public async Task The_servers_own_origin_is_allowed_without_being_listed()
    {
        var ownOrigin = $"http://{Server.BaseAddress.Authority}";

        await using var echo = await SocketClient.ConnectAsync(Server.WebSocketUri("/affirm"), o => o.SetRequestHeader("Origin", ownOrigin));
        await echo.SendTextAsync("same");

        Assert.Equal("You said same", await echo.ReceiveTextAsync());
    }

    [Fact]
    public async Task A_client_without_an_origin_is_not_a_browser_and_passes()
    {
        await using var echo = await SocketClient.ConnectAsync(Server.WebSocketUri("/affirm"));
        await echo.SendTextAsync("cli");

        Assert.Equal("You said cli", await echo.ReceiveTextAsync());
    }

    [Fact]
    public async Task Plain_http_requests_are_not_origin_checked()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("Origin", "https://evil.example");

        using var response = await Server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
