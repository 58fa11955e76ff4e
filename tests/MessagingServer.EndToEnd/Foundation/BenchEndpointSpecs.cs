using System.Net;
using System.Text.Json;
using MessagingServer.EndToEnd.Infrastructure;

namespace MessagingServer.EndToEnd.Foundation;

/// <summary><c>GET /bench/counters</c> exists only in bench mode (<c>Bench:Enabled=true</c>), for the load tool in bench/.</summary>
public sealed class BenchEndpointSpecs
{
    [Fact]
    public async Task A_normal_server_has_no_bench_counters()
    {
        await using var server = await RunningServer.StartAsync();

        var response = await server.Http.GetAsync("/bench/counters");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task In_bench_mode_the_counters_report_allocations_cpu_and_heap()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?> { ["Bench:Enabled"] = "true" });

        using var first = JsonDocument.Parse(await server.Http.GetStringAsync("/bench/counters"));
        using var second = JsonDocument.Parse(await server.Http.GetStringAsync("/bench/counters?collect=true"));

        Assert.True(second.RootElement.GetProperty("allocatedBytes").GetInt64() > first.RootElement.GetProperty("allocatedBytes").GetInt64());
        Assert.True(second.RootElement.GetProperty("cpuMs").GetDouble() > 0);
        Assert.True(second.RootElement.GetProperty("heapBytes").GetInt64() > 0);
    }
}
