using System.Net;
using System.Net.Http.Json;
using MessagingServer.EndToEnd.Infrastructure;

namespace MessagingServer.EndToEnd.Security;

/// <summary><c>/dev/token</c> mints tokens for anyone: only with the published key, only for this machine.</summary>
public sealed class DevTokenSpecs
{
    private static Task<RunningServer> StartDevelopmentAsync(IDictionary<string, string?>? settings = null) =>
        RunningServer.StartAsync(settings, environment: "Development");

    private static async Task<HttpResponseMessage> GetTokenAsync(RunningServer server, string? host = null, string? forwardedFor = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/dev/token?userId=alice");
        if (host is not null)
        {
            request.Headers.Host = host;
        }

        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }

        return await server.Http.SendAsync(request);
    }

    [Fact]
    public async Task A_loopback_caller_gets_a_token_that_the_user_api_accepts()
    {
        await using var server = await StartDevelopmentAsync();

        using var response = await GetTokenAsync(server);
        var token = await response.Content.ReadFromJsonAsync<DevTokenAnswer>();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/users/alice/conversations");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token!.Token);
        using var api = await server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("alice", token.UserId);
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
    }

    [Fact]
    public async Task A_server_with_a_signing_key_of_its_own_has_no_dev_token_endpoint_even_in_development()
    {
        await using var server = await StartDevelopmentAsync(new Dictionary<string, string?> { ["Auth:SigningKey"] = TestTokens.SigningKey });

        using var response = await GetTokenAsync(server);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_caller_from_another_machine_behind_a_trusted_proxy_is_refused_with_403()
    {
        await using var server = await StartDevelopmentAsync(new Dictionary<string, string?> { ["ForwardedHeaders:Enabled"] = "true" });

        using var response = await GetTokenAsync(server, forwardedFor: "203.0.113.7");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("forbidden", Handshake.ProblemCode(await response.Content.ReadAsStringAsync()));
    }

    [Theory]
    [InlineData("rebound.attacker.example")]
    [InlineData("rebound.attacker.example:8080")]
    [InlineData("192.0.2.10")]
    public async Task A_host_that_is_not_this_machine_is_refused_while_allowed_hosts_is_a_wildcard(string host)
    {
        await using var server = await StartDevelopmentAsync();

        using var response = await GetTokenAsync(server, host: host);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("forbidden", Handshake.ProblemCode(await response.Content.ReadAsStringAsync()));
    }

    [Theory]
    [InlineData("localhost:8080")]
    [InlineData("127.0.0.1")]
    [InlineData("[::1]:8080")]
    public async Task Loopback_host_names_are_answered_while_allowed_hosts_is_a_wildcard(string host)
    {
        await using var server = await StartDevelopmentAsync();

        using var response = await GetTokenAsync(server, host: host);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_host_listed_in_allowed_hosts_is_answered()
    {
        await using var server = await StartDevelopmentAsync(new Dictionary<string, string?> { ["AllowedHosts"] = "devbox.test;localhost" });

        using var listed = await GetTokenAsync(server, host: "devbox.test:8080");
        using var other = await GetTokenAsync(server, host: "rebound.attacker.example");

        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, other.StatusCode);
    }

    private sealed record DevTokenAnswer(string Token, string UserId);
}
