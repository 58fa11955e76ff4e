using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace MessagingServer.EndToEnd.Cluster;

/// <summary>Two nodes whose users may send 4 messages at once and then hardly any (one per 100 s).</summary>
public sealed class RateLimitedClusterNodes : ClusterNodes
{
    public const int Burst = 4;

    public override int Size => 2;

    protected override void Configure(IDictionary<string, string> environment)
    {
        environment["Limits__SendBurst"] = Burst.ToString(System.Globalization.CultureInfo.InvariantCulture);
        environment["Limits__SendsPerSecond"] = "0.01";
    }
}

/// <summary>The per-user send rate holds for the cluster, not per node: the user's one session counts every send.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterSendRateSpecs(RateLimitedClusterNodes cluster, ITestOutputHelper output) : IClassFixture<RateLimitedClusterNodes>
{
    [Fact]
    public async Task Sends_of_one_user_through_two_nodes_share_one_budget()
    {
        const string user = "cluster-user-07";
        var codes = new List<(string Node, HttpStatusCode Status, string? Code)>();
        try
        {
            // Alternately through A and B: a limit per node would let each node take a whole burst.
            for (var i = 0; i < RateLimitedClusterNodes.Burst * 3; i++)
            {
                var node = cluster[i % 2];
                using var response = await node.HttpFor(user).PostAsJsonAsync(
                    $"/api/users/{user}/messages", new { to = "+15550001111", body = $"rate {i}", clientRef = $"rate-{i}" });
                var code = response.IsSuccessStatusCode ? null : (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())?["code"];
                codes.Add((node.Name, response.StatusCode, code));
            }

            Assert.Equal(RateLimitedClusterNodes.Burst, codes.Count(c => c.Status == HttpStatusCode.Accepted));
            Assert.All(codes.Skip(RateLimitedClusterNodes.Burst), c => Assert.Equal((HttpStatusCode.TooManyRequests, "rate_limited"), (c.Status, c.Code)));
            Assert.Contains(codes.Take(RateLimitedClusterNodes.Burst), c => c.Node == "A");
            Assert.Contains(codes.Take(RateLimitedClusterNodes.Burst), c => c.Node == "B");
        }
        catch
        {
            output.WriteLine(string.Join('\n', codes.Select(c => $"{c.Node}: {(int)c.Status} {c.Code}")));
            cluster.DumpLogs(output.WriteLine);
            throw;
        }
    }
}
