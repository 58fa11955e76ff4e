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
}
