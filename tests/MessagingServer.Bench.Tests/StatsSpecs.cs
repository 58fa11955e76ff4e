using MessagingServer.Bench.Stats;

namespace MessagingServer.Bench.Tests;

public sealed class PercentileSpecs
{
    private static readonly double[] OneToHundred = Enumerable.Range(1, 100).Select(i => (double)i).ToArray();

    [Theory]
    [InlineData(50, 50)]
    [InlineData(90, 90)]
    [InlineData(99, 99)]
    [InlineData(100, 100)]
    [InlineData(0.5, 1)]
    public void Nearest_rank_of_one_to_a_hundred_is_the_percent_itself(double percent, double expected) =>
        Assert.Equal(expected, Percentiles.OfSorted(OneToHundred, percent));

    [Fact]
    public void The_p99_of_ten_samples_is_the_largest() =>
        Assert.Equal(10, Percentiles.OfSorted([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 99));

    [Fact]
    public void The_p50_of_an_even_count_is_the_lower_middle_sample() =>
        Assert.Equal(2, Percentiles.OfSorted([1, 2, 3, 4], 50));

    [Fact]
    public void A_single_sample_is_every_percentile()
    {
        Assert.Equal(7, Percentiles.OfSorted([7], 1));
        Assert.Equal(7, Percentiles.OfSorted([7], 99));
    }

    [Fact]
    public void Unsorted_samples_are_sorted_first() =>
        Assert.Equal(9, Percentiles.Of([9, 1, 5, 3, 7], 90));

    [Fact]
    public void No_samples_have_no_percentile() =>
        Assert.True(double.IsNaN(Percentiles.OfSorted([], 50)));

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(100.5)]
    [InlineData(double.NaN)]
    public void A_percent_outside_0_to_100_is_refused(double percent) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Percentiles.OfSorted([1, 2], percent));

    [Fact]
    public void A_latency_summary_has_the_count_percentiles_max_and_mean()
    {
        var summary = LatencySummary.From(OneToHundred.Reverse());

        Assert.Equal(new LatencySummary(100, 50, 90, 99, 100, 50.5), summary);
    }

    [Fact]
    public void An_empty_latency_summary_is_all_nan()
    {
        var summary = LatencySummary.From([]);

        Assert.Equal(0, summary.Count);
        Assert.True(double.IsNaN(summary.P99));
    }

    [Fact]
    public void The_latency_log_merges_its_workers()
    {
        var log = new LatencyLog();
        var one = log.NewWorker();
        var two = log.NewWorker();
        one.Add(1);
        two.Add(3);
        two.Add(2);

        Assert.Equal(3, log.Summarize().Count);
        Assert.Equal(3, log.Summarize().Max);
    }
}

public sealed class MedianSpecs
{
    [Fact]
    public void The_median_of_an_odd_count_is_the_middle_value() =>
        Assert.Equal(3, Median.Of([5, 1, 3]));

    [Fact]
    public void The_median_of_an_even_count_is_the_mean_of_the_two_middle_values() =>
        Assert.Equal(2.5, Median.Of([4, 1, 3, 2]));

    [Fact]
    public void Missing_values_are_left_out() =>
        Assert.Equal(2, Median.Of([double.NaN, 1, 2, 3]));

    [Fact]
    public void No_values_have_no_median() =>
        Assert.True(double.IsNaN(Median.Of([])));

    [Fact]
    public void The_median_ratio_is_the_median_of_the_per_round_ratios_not_the_ratio_of_medians()
    {
        // Ratios 2, 3, 1 → median 2; the ratio of the medians would be 9 / 5 = 1.8.
        var rounds = new (double A, double B)[] { (10, 5), (9, 3), (8, 8) };

        Assert.Equal(2, MedianRatio.Of(rounds));
    }

    [Fact]
    public void The_median_ratio_of_an_even_number_of_rounds_averages_the_middle_two() =>
        Assert.Equal(1.5, MedianRatio.Of([(1, 1), (2, 1), (4, 1), (1, 1)]));

    [Fact]
    public void Rounds_where_a_side_has_no_value_or_b_is_zero_are_left_out() =>
        Assert.Equal(2, MedianRatio.Of([(4, 2), (1, 0), (double.NaN, 1), (3, double.NaN)]));

    [Fact]
    public void No_usable_round_has_no_ratio() =>
        Assert.True(double.IsNaN(MedianRatio.Of([(1, 0)])));
}
