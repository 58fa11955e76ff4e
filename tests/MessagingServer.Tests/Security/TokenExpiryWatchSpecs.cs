using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using MessagingServer.Security;
using MessagingServer.WebSockets;
using Microsoft.Extensions.Time.Testing;

namespace MessagingServer.Tests.Security;

/// <summary>A real WebSocket pair over loopback TCP; the watch's clock is fake.</summary>
public sealed class TokenExpiryWatchSpecs : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private TcpClient _clientTcp = null!;
    private TcpClient _serverTcp = null!;
    private WebSocket _server = null!;
    private WebSocket _client = null!;
    private TrackedWebSocket _tracked = null!;

    public async Task InitializeAsync()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        _clientTcp = new TcpClient();
        var accepting = listener.AcceptTcpClientAsync();
        await _clientTcp.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        _serverTcp = await accepting;
        listener.Stop();
        _server = WebSocket.CreateFromStream(_serverTcp.GetStream(), isServer: true, subProtocol: null, keepAliveInterval: Timeout.InfiniteTimeSpan);
        _client = WebSocket.CreateFromStream(_clientTcp.GetStream(), isServer: false, subProtocol: null, keepAliveInterval: Timeout.InfiniteTimeSpan);
        _tracked = new TrackedWebSocket(_server, "test", "alice", TimeSpan.FromSeconds(5), _ => { });
    }

    public async Task DisposeAsync()
    {
        await _tracked.DisposeAsync();
        _server.Dispose();
        _client.Dispose();
        _serverTcp.Dispose();
        _clientTcp.Dispose();
    }

    private async Task<WebSocketReceiveResult> ClientReceivesAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await _client.ReceiveAsync(new byte[256], timeout.Token);
    }

    [Fact]
    public async Task The_socket_is_closed_with_1008_when_the_token_expires_and_not_before()
    {
        using var watch = TokenExpiryWatch.Start(_tracked, _time.GetUtcNow().AddMinutes(5), _time);
        var receiving = ClientReceivesAsync();

        _time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromMilliseconds(1));
        Assert.False(watch.HasExpired);
        Assert.False(receiving.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        var result = await receiving;
        Assert.True(watch.HasExpired);
        Assert.Equal(WebSocketMessageType.Close, result.MessageType);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, result.CloseStatus);
        Assert.Equal(TokenExpiryWatch.CloseReason, result.CloseStatusDescription);
    }

    [Fact]
    public async Task A_token_already_expired_closes_the_socket_at_once()
    {
        using var watch = TokenExpiryWatch.Start(_tracked, _time.GetUtcNow().AddSeconds(-1), _time);

        var result = await ClientReceivesAsync();

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, result.CloseStatus);
    }

    [Fact]
    public async Task A_disposed_watch_never_closes_the_socket()
    {
        var watch = TokenExpiryWatch.Start(_tracked, _time.GetUtcNow().AddMinutes(1), _time);
        watch.Dispose();

        _time.Advance(TimeSpan.FromHours(1));
        await _tracked.SendTextAsync("still open"u8.ToArray(), CancellationToken.None);

        var result = await ClientReceivesAsync();
        Assert.Equal(WebSocketMessageType.Text, result.MessageType);
        Assert.False(watch.HasExpired);
    }

    [Fact]
    public async Task A_token_that_lives_longer_than_a_timer_can_wait_still_closes_at_its_expiry()
    {
        using var watch = TokenExpiryWatch.Start(_tracked, _time.GetUtcNow().AddDays(90), _time);

        _time.Advance(TimeSpan.FromDays(89));
        Assert.False(watch.HasExpired);
        _time.Advance(TimeSpan.FromDays(1));

        var result = await ClientReceivesAsync();
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, result.CloseStatus);
    }

    [Fact]
    public void A_token_is_good_until_exp_plus_the_skew_and_never_past_the_last_date()
    {
        var exp = _time.GetUtcNow();

        Assert.Equal(exp.AddSeconds(30), TokenExpiry.GoodUntil(exp, TimeSpan.FromSeconds(30)));
        Assert.Equal(DateTimeOffset.MaxValue, TokenExpiry.GoodUntil(DateTimeOffset.MaxValue.AddSeconds(-1), TimeSpan.FromSeconds(30)));
    }

    [Theory]
    [InlineData("1767225600", "2026-01-01T00:00:00Z")]
    [InlineData("1767225600.75", "2026-01-01T00:00:00Z")]
    [InlineData("253402300799", "9999-12-31T23:59:59Z")]
    [InlineData("253402300800", null)]
    [InlineData("9223372036854775807", null)]
    [InlineData("1e300", null)]
    [InlineData("soon", null)]
    public void An_exp_is_read_as_a_date_or_not_at_all(string exp, string? expected)
    {
        var user = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity([new System.Security.Claims.Claim("exp", exp)], "test"));

        var read = TokenExpiry.Of(user);

        Assert.Equal(expected is null ? null : DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), read);
    }
}
