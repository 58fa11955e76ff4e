using MessagingServer.EndToEnd.Infrastructure;

namespace MessagingServer.EndToEnd.Cluster;

public sealed class ClusterStartupSpecs
{
    [Fact]
    public async Task Seed_nodes_on_sqlite_are_refused_at_start_with_what_to_set_instead()
    {
        var data = TestFolders.Create("cluster-sqlite");
        try
        {
            var result = await ServerProcess.RunToExitAsync(
                ["--urls", "http://127.0.0.1:0"],
                new Dictionary<string, string>
                {
                    ["Cluster__SeedNodes__0"] = "akka.tcp://messaging@127.0.0.1:4053",
                    ["Persistence__SqlitePath"] = Path.Combine(data, "messaging.db"),
                });

            Assert.NotEqual(0, result.ExitCode);
            Assert.Contains("MessagingServer cannot start: Cluster:SeedNodes is set but Persistence:Provider is Sqlite", result.Error, StringComparison.Ordinal);
            Assert.Contains("Persistence:Provider=PostgreSql", result.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("Now listening", result.Output + result.Error, StringComparison.Ordinal);
        }
        finally
        {
            TestFolders.Delete(data);
        }
    }
}
