using System.Net;
using System.Net.Http.Headers;
using MessagingServer.EndToEnd.Infrastructure;

namespace MessagingServer.EndToEnd.Security;

public sealed class TokenCommandSpecs
{
    private static async Task<HttpStatusCode> ProbeAsync(RunningServer server, string user, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/users/{user}/probe");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await server.Http.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task The_command_prints_only_a_token_that_a_server_with_the_same_key_accepts()
    {
        var result = await ServerProcess.RunToExitAsync(["token", "alice", "--minutes", "5"]);
        await using var server = await RunningServer.StartAsync(map: SecuredTestEndpoints.Map);

        Assert.Equal(0, result.ExitCode);
        var token = Assert.Single(result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Equal(HttpStatusCode.OK, await ProbeAsync(server, "alice", token));
        Assert.Equal(HttpStatusCode.Forbidden, await ProbeAsync(server, "bob", token));
    }

    [Fact]
    public async Task In_development_without_a_key_the_command_and_the_server_share_the_development_key()
    {
        var result = await ServerProcess.RunToExitAsync(
            ["token", "alice"],
            new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Development", ["Auth__SigningKey"] = "" });
        await using var server = await RunningServer.StartAsync(
            new Dictionary<string, string?> { ["Auth:SigningKey"] = "" },
            map: SecuredTestEndpoints.Map,
            environment: "Development");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Development key", result.Error, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await ProbeAsync(server, "alice", result.Output.Trim()));
    }

    [Fact]
    public async Task A_token_signed_with_another_key_is_refused()
    {
        var result = await ServerProcess.RunToExitAsync(
            ["token", "alice"],
            new Dictionary<string, string> { ["Auth__SigningKey"] = TestTokens.OtherKey });
        await using var server = await RunningServer.StartAsync(map: SecuredTestEndpoints.Map);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await ProbeAsync(server, "alice", result.Output.Trim()));
    }

    [Theory]
    [InlineData(new[] { "token" }, "a user id is required")]
    [InlineData(new[] { "token", "not a user!" }, "not a valid user id")]
    [InlineData(new[] { "token", "alice", "--minutes", "0" }, "--minutes takes")]
    public async Task Bad_arguments_fail_with_usage(string[] args, string message)
    {
        var result = await ServerProcess.RunToExitAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Output);
    }

    [Fact]
    public async Task Outside_development_without_a_key_the_command_says_why()
    {
        var result = await ServerProcess.RunToExitAsync(
            ["token", "alice"],
            new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Production", ["Auth__SigningKey"] = "" });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Auth:SigningKey is not set", result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Output);
    }
}
