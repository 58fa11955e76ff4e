using MessagingServer.Bench.Cli;
using MessagingServer.Bench.Soak;
using Xunit.Abstractions;

namespace MessagingServer.Bench.Tests;

public sealed class SoakTrendSpecs
{
    private static SoakSample Sample(double at, double rss, double heap, int fds, int threads) =>
        new(at, rss, heap, fds, threads, Sends: (long)at, Webhooks: 0, Reconnects: 0, SlowReaderCycles: 0, Errors: 0);

    private static List<SoakSample> Series(int count, Func<int, SoakSample> make) => [.. Enumerable.Range(0, count).Select(make)];

    [Fact]
    public void Flat_resources_with_noise_are_flat()
    {
        var samples = Series(40, i => Sample(i * 30, 200 + (i % 3 * 5), 40 + (i % 2 * 4), 120 + (i % 4), 30 + (i % 2)));

        var trends = SoakTrend.Judge(samples);

        Assert.Equal(SoakTrend.Rules.Count, trends.Count);
        Assert.All(trends, t => Assert.False(t.Grew, $"{t.Metric}: {t.First} → {t.Last}"));
    }

    [Fact]
    public void A_steady_climb_of_descriptors_is_growth_and_only_that_resource_is_flagged()
    {
        // One descriptor leaked per sample: 40 over the run, well past the floor of 16 for 120 at the start.
        var samples = Series(40, i => Sample(i * 30, 200, 40, 120 + i, 30));

        var trends = SoakTrend.Judge(samples);

        Assert.True(trends.Single(t => t.Metric == "open descriptors").Grew);
        Assert.Equal(["open descriptors"], trends.Where(t => t.Grew).Select(t => t.Metric));
    }

    [Fact]
    public void The_quarters_decide_not_one_spike_at_the_end()
    {
        var samples = Series(40, i => Sample(i * 30, i == 39 ? 900 : 200, 40, 120, 30));

        var rss = SoakTrend.Judge(samples).Single(t => t.Metric == "resident memory");

        // The spike is one of ten samples in the last quarter: (9 × 200 + 900) / 10 = 270, within 200 × 0.25 = 50? No: 70 > 50.
        Assert.Equal(270, rss.Last, 3);
        Assert.True(rss.Grew);
        Assert.Equal(200, rss.First, 3);
    }

    [Fact]
    public void Too_few_samples_give_no_trend() =>
        Assert.Empty(SoakTrend.Judge(Series(3, i => Sample(i, 1, 1, 1, 1))));

    [Fact]
    public void A_resource_never_read_is_left_out_rather_than_judged()
    {
        var samples = Series(8, i => new SoakSample(i, 100, HeapMib: null, OpenFds: null, Threads: 20, 0, 0, 0, 0, 0));

        Assert.Equal(["resident memory", "threads"], SoakTrend.Judge(samples).Select(t => t.Metric));
    }
}

public sealed class SoakReportSpecs
{
    [Fact]
    public void A_sample_survives_its_csv_line()
    {
        var sample = new SoakSample(90.5, 201.25, null, 133, 31, 1200, 600, 120, 6, 2);

        var line = sample.ToCsv();

        Assert.Equal(SoakSample.CsvHeader.Split(',').Length, line.Split(',').Length);
        Assert.Equal(sample with { RssMib = 201.3 }, SoakSample.FromCsv(line));
    }

    [Theory]
    [InlineData("")]
    [InlineData(SoakSample.CsvHeader)]
    [InlineData("1,2,3")]
    [InlineData("1,NaN,,,,0,0,0,0,0")]
    [InlineData("1,2,,,,0,0,-1,0,0")]
    public void A_line_that_is_not_a_sample_is_refused(string line) =>
        Assert.Null(SoakSample.FromCsv(line));

    [Fact]
    public void Threads_are_read_from_the_status_file() =>
        Assert.Equal(42, SoakSample.ParseThreads("Name:\tdotnet\nVmRSS:\t 1 kB\nThreads:\t42\nSigQ:\t0/1\n"));

    [Fact]
    public void This_process_has_descriptors_and_threads()
    {
        Assert.True(SoakSample.OpenFdsOf(Environment.ProcessId) > 0);
        Assert.True(SoakSample.ThreadsOf(Environment.ProcessId) > 0);
    }

    [Fact]
    public void The_samples_table_keeps_the_first_and_last_of_many()
    {
        var samples = Enumerable.Range(0, 100).Select(i => new SoakSample(i * 30, 100 + i, 10, 50, 20, i, 0, 0, 0, 0)).ToList();

        var thin = SoakReport.Thin(samples, SoakReport.TableRows);

        Assert.Equal(SoakReport.TableRows, thin.Count);
        Assert.Same(samples[0], thin[0]);
        Assert.Same(samples[^1], thin[^1]);
        Assert.Equal(thin.OrderBy(s => s.ElapsedSeconds), thin);
    }
}

public sealed class SoakOptionsSpecs
{
    [Fact]
    public void Soak_takes_its_duration_and_sample_interval()
    {
        var options = BenchOptions.Parse(["soak", "--duration", "120", "--sample-every", "2.5"]);

        Assert.Equal([ScenarioNames.Soak], options.Scenarios);
        Assert.Equal(120, options.RunSeconds);
        Assert.Equal(2.5, options.SampleSeconds);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("601")]
    [InlineData("often")]
    public void A_sample_interval_out_of_range_is_refused(string every) =>
        Assert.Throws<ArgumentException>(() => BenchOptions.Parse(["soak", "--sample-every", every]));

    [Fact]
    public void All_leaves_the_soak_out() =>
        Assert.DoesNotContain(ScenarioNames.Soak, BenchOptions.Parse(["all"]).Scenarios);
}

/// <summary>The soak end to end for a few seconds against the real server and fake Twilio: the path works and reports a trend.</summary>
public sealed class SoakRunSpecs(ITestOutputHelper output)
{
    [Fact]
    [Trait("Category", "Smoke")]
    public async Task A_tiny_soak_samples_the_server_and_reports_its_trend()
    {
        using var text = new StringWriter();

        var exitCode = await BenchCli.RunAsync(["soak", "--size", "tiny", "--duration", "3", "--sample-every", "0.5"], text, CancellationToken.None);

        var printed = text.ToString();
        output.WriteLine(printed);
        Assert.True(exitCode == 0, printed);
        Assert.Contains("trend: mean of the last quarter", printed, StringComparison.Ordinal);
        Assert.Matches(@"soak: open descriptors growth, last vs first quarter\s+\S+ fds", printed);
        Assert.DoesNotContain("ERROR:", printed, StringComparison.Ordinal);
    }
}
