using MessagingServer.Bench.Cli;
using MessagingServer.Bench.Processes;
using MessagingServer.Bench.Scenarios;

namespace MessagingServer.Bench.Tests;

public sealed class ClusterOptionsSpecs
{
    [Fact]
    public void The_cluster_scenario_runs_three_nodes_and_fails_over_with_the_default_and_a_short_stable_after()
    {
        var options = BenchOptions.Parse(["cluster"]);

        Assert.Equal(3, options.ClusterNodes);
        Assert.Equal([20.0, 5.0], SizeProfile.For(options).StableAfterSeconds);
        Assert.Equal([2.0], SizeProfile.For(BenchOptions.Parse(["cluster", "--size", "tiny"])).StableAfterSeconds);
    }

    [Fact]
    public void Nodes_and_stable_after_values_are_read()
    {
        var options = BenchOptions.Parse(["cluster", "--nodes", "5", "--stable-after", "10,2.5"]);

        Assert.Equal(5, options.ClusterNodes);
        Assert.Equal([10.0, 2.5], SizeProfile.For(options).StableAfterSeconds);
    }

    [Theory]
    [InlineData("--nodes", "2")]
    [InlineData("--nodes", "6")]
    [InlineData("--nodes", "three")]
    [InlineData("--stable-after", "0.5")]
    [InlineData("--stable-after", "20,")]
    [InlineData("--stable-after", "121")]
    public void Cluster_values_out_of_range_are_refused_with_what_is_allowed(string option, string value)
    {
        var error = Assert.Throws<ArgumentException>(() => BenchOptions.Parse(["cluster", option, value]));

        Assert.StartsWith(option, error.Message, StringComparison.Ordinal);
    }
}

public sealed class FailoverSummarySpecs
{
    [Fact]
    public void Min_median_and_max_are_over_the_rounds_that_recovered()
    {
        var summary = FailoverSummary.Of([14.0, double.NaN, 9.0, 11.0]);

        Assert.Equal(new FailoverSummary(4, 1, 9.0, 11.0, 14.0), summary);
    }

    [Fact]
    public void No_recovered_round_has_no_times()
    {
        var summary = FailoverSummary.Of([double.NaN, double.NaN]);

        Assert.Equal(2, summary.NotRecovered);
        Assert.True(double.IsNaN(summary.Median));
    }

    [Fact]
    public void A_metric_is_summed_over_its_label_sets_and_not_confused_with_a_longer_name()
    {
        const string scrape = """
            # TYPE messaging_sessions_alive gauge
            messaging_sessions_alive{otel_scope_name="MessagingServer"} 3 1700000000000
            messaging_sessions_alive{kind="other"} 2
            messaging_sessions_alive_total 100
            """;

        Assert.Equal(5, BenchCluster.PrometheusValue(scrape, "messaging_sessions_alive"));
        Assert.Equal(0, BenchCluster.PrometheusValue(scrape, "messaging_shards"));
    }
}

public sealed class FailoverRoundSpecs
{
    [Fact]
    public void Refused_probes_are_described_by_status_most_frequent_first()
    {
        Assert.Equal("503 ×40, 0 ×3, 500 ×3", ClusterFailover.Describe(new Dictionary<int, int> { [500] = 3, [503] = 40, [0] = 3 }));
        Assert.Equal("none", ClusterFailover.Describe(new Dictionary<int, int>()));
    }

    [Fact]
    public void Only_postgres_unique_violations_count_as_duplicate_keys_not_ids_that_happen_to_hold_23505()
    {
        const string sid = "Twilio accepted SMS as SMa713c2102865b244e023505e208476f8";
        const string error = "Npgsql.PostgresException (0x80004005): 23505: duplicate key value violates unique constraint \"journal_pkey\"";

        Assert.DoesNotContain(ClusterFailover.DuplicateKeyMessage, sid, StringComparison.Ordinal);
        Assert.Contains(ClusterFailover.DuplicateKeyMessage, error, StringComparison.Ordinal);
    }
}
