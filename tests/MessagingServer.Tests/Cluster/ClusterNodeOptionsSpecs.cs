using MessagingServer.Cluster;
using MessagingServer.Persistence;
using Microsoft.Extensions.Options;

namespace MessagingServer.Tests.Cluster;

public sealed class ClusterNodeOptionsSpecs
{
    private static readonly PersistenceOptions Postgres = new() { Provider = StorageProvider.PostgreSql, ConnectionString = "Host=db" };

    [Fact]
    public void Defaults_are_a_cluster_of_one_on_loopback_with_a_hundred_shards()
    {
        var options = new ClusterNodeOptions();

        Assert.True(options.IsClusterOfOne);
        Assert.Equal("127.0.0.1", options.Hostname);
        Assert.Equal(0, options.Port);
        Assert.Equal(100, options.Shards);
        Assert.Equal(TimeSpan.FromSeconds(20), options.StableAfter);
        Assert.True(Validate(options, new PersistenceOptions()).Succeeded);
    }

    [Fact]
    public void Seed_nodes_on_sqlite_are_refused_naming_the_setting_to_change()
    {
        var result = Validate(new ClusterNodeOptions { SeedNodes = ["akka.tcp://messaging@10.0.0.1:4053"] }, new PersistenceOptions());

        Assert.True(result.Failed);
        Assert.Contains("Persistence:Provider=PostgreSql", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("akka.tcp://messaging@node-1.messaging:4053")]
    [InlineData("akka.tcp://messaging@127.0.0.1:4053/")]
    public void Seed_nodes_of_this_system_on_postgresql_are_accepted(string seed)
    {
        Assert.True(Validate(new ClusterNodeOptions { SeedNodes = [seed] }, Postgres).Succeeded);
    }

    [Theory]
    [InlineData("127.0.0.1:4053")]
    [InlineData("akka.tcp://other@127.0.0.1:4053")]
    [InlineData("akka.tcp://messaging@127.0.0.1")]
    [InlineData("akka.udp://messaging@127.0.0.1:4053")]
    [InlineData("akka.tcp://messaging@127.0.0.1:4053/user/x")]
    [InlineData("akka.tcp://messaging@127.0.0.1:99999")]
    [InlineData("")]
    public void A_seed_that_is_not_an_address_of_this_cluster_is_refused_and_quoted(string seed)
    {
        var result = Validate(new ClusterNodeOptions { SeedNodes = [seed] }, Postgres);

        Assert.True(result.Failed);
        Assert.Contains($"'{seed}' is not an address", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stable_after_under_a_second_is_refused()
    {
        var result = Validate(new ClusterNodeOptions { StableAfter = TimeSpan.FromMilliseconds(10) }, Postgres);

        Assert.True(result.Failed);
        Assert.Contains("Cluster:StableAfter", result.FailureMessage, StringComparison.Ordinal);
    }

    private static ValidateOptionsResult Validate(ClusterNodeOptions options, PersistenceOptions persistence) =>
        new ClusterNodeOptionsValidator(Options.Create(persistence)).Validate(null, options);
}
