using System.Net;
using MessagingServer.EndToEnd.Infrastructure;

namespace MessagingServer.EndToEnd.Security;

public sealed class HandshakeRateLimitSpecs
{
    [Fact]
    public async Task Handshakes_over_the_per_ip_limit_get_429_with_a_problem_and_retry_after()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?>
        {
            ["Limits:HandshakesPerWindow"] = "3",
            ["Limits:HandshakeWindow"] = "01:00:00",
        });
        for (var i = 0; i < 3; i++)
        {
            await using var client = await SocketClient.ConnectAsync(server.WebSocketUri("/affirm"));
        }

        var status = await Handshake.RefusedStatusAsync(server.WebSocketUri("/affirm"));
        var refused = await Handshake.SendUpgradeAsync(server.Http, "/affirm");
        using var plain = await server.Http.GetAsync("/");

        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        Assert.Equal("too_many_requests", refused.Code);
        Assert.True(refused.RetryAfter > TimeSpan.Zero, $"Retry-After was {refused.RetryAfter}");
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
    }

    [Fact]
    public async Task Behind_a_trusted_proxy_each_forwarded_client_has_its_own_limit()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?>
        {
            ["ForwardedHeaders:Enabled"] = "true",
            ["ForwardedHeaders:KnownProxies:0"] = "127.0.0.1",
            ["Limits:HandshakesPerWindow"] = "2",
            ["Limits:HandshakeWindow"] = "01:00:00",
        });
        void From(System.Net.WebSockets.ClientWebSocketOptions options, string ip) => options.SetRequestHeader("X-Forwarded-For", ip);

        for (var i = 0; i < 2; i++)
        {
            await using var client = await SocketClient.ConnectAsync(server.WebSocketUri("/affirm"), o => From(o, "203.0.113.7"));
        }

        var refused = await Handshake.RefusedStatusAsync(server.WebSocketUri("/affirm"), o => From(o, "203.0.113.7"));
        await using var other = await SocketClient.ConnectAsync(server.WebSocketUri("/affirm"), o => From(o, "203.0.113.8"));
        await other.SendTextAsync("still open");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused);
        Assert.Equal("You said still open", await other.ReceiveTextAsync());
    }
}
