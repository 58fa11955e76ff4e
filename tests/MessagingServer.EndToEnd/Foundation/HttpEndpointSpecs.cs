using System.Net;
using System.Text.Json;
using MessagingServer.EndToEnd.Infrastructure;

namespace MessagingServer.EndToEnd.Foundation;

public sealed class HttpEndpointSpecs : IAsyncLifetime
{
    private RunningServer _server = null!;

    public async Task InitializeAsync() => _server = await RunningServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Root_answers_with_the_welcome_text()
    {
        var response = await _server.Http.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Welcome to messaging service.", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/health/ready")]
    [InlineData("/health")]
    public async Task Readiness_reports_the_actor_system_by_name(string path)
    {
        var response = await _server.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", json.RootElement.GetProperty("status").GetString());
        Assert.Equal("Healthy", json.RootElement.GetProperty("checks").GetProperty("actorSystem").GetProperty("status").GetString());
        Assert.Equal("Healthy", json.RootElement.GetProperty("checks").GetProperty("storage").GetProperty("status").GetString());
        Assert.Contains("loopback", json.RootElement.GetProperty("checks").GetProperty("smsProvider").GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Liveness_answers_without_checking_dependencies()
    {
        var response = await _server.Http.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", json.RootElement.GetProperty("status").GetString());
        Assert.Empty(json.RootElement.GetProperty("checks").EnumerateObject());
    }

    [Fact]
    public async Task Readiness_names_the_cluster_check_and_this_node_is_up_in_a_cluster_of_one()
    {
        var response = await _server.Http.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var cluster = json.RootElement.GetProperty("checks").GetProperty("cluster");
        Assert.Equal("Healthy", cluster.GetProperty("status").GetString());
        Assert.StartsWith("Up, 1 members", cluster.GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readiness_fails_with_a_reason_once_the_actor_system_is_shutting_down()
    {
        var system = _server.Services.GetRequiredService<Akka.Actor.ActorSystem>();
        await Akka.Actor.CoordinatedShutdown.Get(system).Run(Akka.Actor.CoordinatedShutdown.ClrExitReason.Instance);

        var response = await _server.Http.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Unhealthy", json.RootElement.GetProperty("checks").GetProperty("actorSystem").GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("checks").GetProperty("actorSystem").GetProperty("description").GetString()));
    }

    [Fact]
    public async Task Affirm_without_an_upgrade_is_a_clear_problem()
    {
        var response = await _server.Http.GetAsync("/affirm");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("websocket_required", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
