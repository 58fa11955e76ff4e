using MessagingServer.Security;
using Microsoft.AspNetCore.Http;

namespace MessagingServer.Tests.Security;

public sealed class OriginPolicySpecs
{
    private readonly OriginPolicy _policy = new(["https://App.Example.com", "http://localhost:3000/"]);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void A_request_without_an_origin_is_allowed(string? origin) =>
        Assert.True(_policy.IsAllowed(origin, new HostString("chat.example.net")));

    [Theory]
    [InlineData("https://app.example.com")]
    [InlineData("HTTPS://APP.EXAMPLE.COM")]
    [InlineData("https://app.example.com:443")]
    [InlineData("http://localhost:3000")]
    public void Listed_origins_are_allowed_however_they_are_cased(string origin) =>
        Assert.True(_policy.IsAllowed(origin, new HostString("chat.example.net")));

    [Theory]
    [InlineData("https://chat.example.net", "chat.example.net")]
    [InlineData("http://localhost:8080", "localhost:8080")]
    [InlineData("https://Chat.Example.Net", "chat.example.net")]
    public void The_servers_own_origin_is_allowed(string origin, string host) =>
        Assert.True(_policy.IsAllowed(origin, new HostString(host)));

    [Theory]
    [InlineData("https://evil.example", "chat.example.net")]
    [InlineData("http://app.example.com", "chat.example.net")]
    [InlineData("https://app.example.com.evil.example", "chat.example.net")]
    [InlineData("http://localhost:3001", "chat.example.net")]
    [InlineData("http://localhost:8081", "localhost:8080")]
    [InlineData("null", "chat.example.net")]
    [InlineData("chat.example.net", "chat.example.net")]
    public void Other_origins_are_refused(string origin, string host) =>
        Assert.False(_policy.IsAllowed(origin, new HostString(host)));

    [Fact]
    public void An_empty_list_allows_only_the_servers_own_origin() =>
        Assert.False(new OriginPolicy([]).IsAllowed("https://app.example.com", new HostString("chat.example.net")));
}
