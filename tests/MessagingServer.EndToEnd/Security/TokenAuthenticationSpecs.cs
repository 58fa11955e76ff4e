using System.Net;
using System.Net.Http.Headers;
using MessagingServer.EndToEnd.Infrastructure;

namespace MessagingServer.EndToEnd.Security;

public sealed class TokenAuthenticationSpecs(SecuredServerFixture fixture) : IClassFixture<SecuredServerFixture>
{
    private RunningServer Server => fixture.Server;

    [Theory]
    [MemberData(nameof(TestTokens.BadKinds), MemberType = typeof(TestTokens))]
    public async Task A_user_api_request_with_a_bad_token_in_the_header_is_401_with_a_problem(string kind)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/users/alice/probe");
        if (TestTokens.Bad(kind) is { } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await Server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("unauthorized", Handshake.ProblemCode(await response.Content.ReadAsStringAsync()));
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
    }

    [Theory]
    [MemberData(nameof(TestTokens.BadKinds), MemberType = typeof(TestTokens))]
    public async Task A_user_api_request_with_a_bad_token_in_the_query_is_401(string kind)
    {
        var query = TestTokens.Bad(kind) is { } token ? $"?access_token={Uri.EscapeDataString(token)}" : "";

        using var response = await Server.Http.GetAsync($"/api/users/alice/probe{query}");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("unauthorized", Handshake.ProblemCode(await response.Content.ReadAsStringAsync()));
    }

    [Theory]
    [MemberData(nameof(TestTokens.BadKinds), MemberType = typeof(TestTokens))]
    public async Task A_socket_handshake_with_a_bad_token_in_the_header_is_refused_with_401(string kind)
    {
        var status = await Handshake.RefusedStatusAsync(Server.WebSocketUri("/message/alice/probe"), options =>
        {
            if (TestTokens.Bad(kind) is { } token)
            {
                options.SetRequestHeader("Authorization", $"Bearer {token}");
            }
        });

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(0, Server.Services.GetRequiredService<MessagingServer.WebSockets.WebSocketConnections>().CountOfUser("alice"));
    }

    [Theory]
    [MemberData(nameof(TestTokens.BadKinds), MemberType = typeof(TestTokens))]
    public async Task A_socket_handshake_with_a_bad_token_in_the_query_is_refused_with_401_and_a_problem(string kind)
    {
        var query = TestTokens.Bad(kind) is { } token ? $"?access_token={Uri.EscapeDataString(token)}" : "";

        var status = await Handshake.RefusedStatusAsync(Server.WebSocketUri($"/message/alice/probe{query}"));
        var refused = await Handshake.SendUpgradeAsync(Server.Http, $"/message/alice/probe{query}");

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
        Assert.Equal("unauthorized", refused.Code);
    }

    [Fact]
    public async Task Another_users_token_is_403_on_the_api_in_header_and_query()
    {
        var bobs = Server.TokenFor("bob");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/users/alice/probe");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bobs);

        using var byHeader = await Server.Http.SendAsync(request);
        using var byQuery = await Server.Http.GetAsync($"/api/users/alice/probe?access_token={bobs}");

        Assert.Equal(HttpStatusCode.Forbidden, byHeader.StatusCode);
        Assert.Equal("application/problem+json", byHeader.Content.Headers.ContentType?.MediaType);
        Assert.Equal("forbidden", Handshake.ProblemCode(await byHeader.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.Forbidden, byQuery.StatusCode);
    }

    [Fact]
    public async Task Another_users_token_refuses_the_socket_handshake_with_403()
    {
        var bobs = Server.TokenFor("bob");

        var byHeader = await Handshake.RefusedStatusAsync(
            Server.WebSocketUri("/message/alice/probe"), o => o.SetRequestHeader("Authorization", $"Bearer {bobs}"));
        var byQuery = await Handshake.RefusedStatusAsync(Server.WebSocketUri($"/message/alice/probe?access_token={bobs}"));
        var refused = await Handshake.SendUpgradeAsync(Server.Http, $"/message/alice/probe?access_token={bobs}");

        Assert.Equal(HttpStatusCode.Forbidden, byHeader);
        Assert.Equal(HttpStatusCode.Forbidden, byQuery);
        Assert.Equal("forbidden", refused.Code);
    }

    [Fact]
    public async Task The_users_own_token_opens_the_api_in_header_and_query()
    {
        var token = Server.TokenFor("alice");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/users/alice/probe");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var byHeader = await Server.Http.SendAsync(request);
        using var byQuery = await Server.Http.GetAsync($"/api/users/alice/probe?access_token={token}");

        Assert.Equal(HttpStatusCode.OK, byHeader.StatusCode);
        Assert.Equal("alice", await byHeader.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, byQuery.StatusCode);
    }

    [Fact]
    public async Task The_users_own_token_opens_the_socket_in_header_and_query()
    {
        var token = Server.TokenFor("alice");

        await using var byHeader = await SocketClient.ConnectAsync(
            Server.WebSocketUri("/message/alice/probe"), o => o.SetRequestHeader("Authorization", $"Bearer {token}"));
        await using var byQuery = await SocketClient.ConnectAsync(Server.WebSocketUri($"/message/alice/probe?access_token={token}"));
        await byHeader.SendTextAsync("one");
        await byQuery.SendTextAsync("two");

        Assert.Equal("alice: one", await byHeader.ReceiveTextAsync());
        Assert.Equal("alice: two", await byQuery.ReceiveTextAsync());
    }

    [Fact]
    public async Task A_query_token_is_not_accepted_outside_the_user_paths()
    {
        var token = Server.TokenFor("alice");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/other/alice/probe");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var byQuery = await Server.Http.GetAsync($"/other/alice/probe?access_token={token}");
        using var byHeader = await Server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, byQuery.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byHeader.StatusCode);
    }

    [Fact]
    public async Task Public_paths_need_no_token()
    {
        using var root = await Server.Http.GetAsync("/");
        await using var echo = await SocketClient.ConnectAsync(Server.WebSocketUri("/affirm"));
        await echo.SendTextAsync("hi");

        Assert.Equal(HttpStatusCode.OK, root.StatusCode);
        Assert.Equal("You said hi", await echo.ReceiveTextAsync());
    }
}
