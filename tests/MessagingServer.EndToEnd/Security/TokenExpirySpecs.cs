using System.Net.WebSockets;
using MessagingServer.EndToEnd.Infrastructure;

namespace MessagingServer.EndToEnd.Security;

public sealed class TokenExpirySpecs
{
    [Fact]
    public async Task A_socket_is_closed_with_1008_when_its_token_expires()
    {
        await using var server = await RunningServer.StartAsync(
            new Dictionary<string, string?> { ["Auth:ClockSkew"] = "00:00:00" },
            map: SecuredTestEndpoints.Map);
        var token = server.TokenFor("alice", TimeSpan.FromSeconds(6));
        await using var client = await SocketClient.ConnectAsync(server.WebSocketUri($"/message/alice/probe?access_token={token}"));
        await client.SendTextAsync("before");
        Assert.Equal("alice: before", await client.ReceiveTextAsync());

        var status = await client.ReceiveCloseAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.Equal("token expired", client.Socket.CloseStatusDescription);
    }

    [Theory]
    [InlineData(253402300800L)] // 10000-01-01
    [InlineData(long.MaxValue)]
    public async Task A_token_whose_exp_is_past_year_9999_is_refused_with_401_on_the_socket_and_the_api(long exp)
    {
        await using var server = await RunningServer.StartAsync(map: SecuredTestEndpoints.Map);
        var token = TestTokens.WithRawExpiry("alice", exp);

        var socketStatus = await Handshake.RefusedStatusAsync(server.WebSocketUri($"/message/alice/probe?access_token={token}"));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/users/alice/probe");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var api = await server.Http.SendAsync(request);

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, socketStatus);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Equal("unauthorized", Handshake.ProblemCode(await api.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task A_token_inside_the_clock_skew_window_keeps_its_socket_until_the_window_ends()
    {
        await using var server = await RunningServer.StartAsync(
            new Dictionary<string, string?> { ["Auth:ClockSkew"] = "00:00:30" },
            map: SecuredTestEndpoints.Map);
        var token = TestTokens.Create("alice", expires: DateTime.UtcNow.AddSeconds(-24));
        await using var client = await SocketClient.ConnectAsync(server.WebSocketUri($"/message/alice/probe?access_token={token}"));

        await client.SendTextAsync("still in the window");
        var answer = await client.ReceiveTextAsync();
        var status = await client.ReceiveCloseAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("alice: still in the window", answer);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.Equal("token expired", client.Socket.CloseStatusDescription);
    }
}
