using System.Diagnostics;

namespace MessagingServer.Bench.Stats;

/// <summary>
/// Latency samples from many workers: each worker adds to its own list (no lock on the hot path), and
/// the lists are merged when the run ends. At most <see cref="MaxSamplesPerWorker"/> per worker are kept.
/// </summary>
public sealed class LatencyLog
{
    public const int MaxSamplesPerWorker = 200_000;

    private readonly List<List<double>> _workers = [];

    public List<double> NewWorker()
    {
        var list = new List<double>(1024);
        lock (_workers)
        {
            _workers.Add(list);
        }

        return list;
    }

    public static void Add(List<double> worker, long startTimestamp, long endTimestamp)
    {
        ArgumentNullException.ThrowIfNull(worker);
        if (worker.Count < MaxSamplesPerWorker)
        {
            worker.Add(Milliseconds(startTimestamp, endTimestamp));
        }
    }

    public static double Milliseconds(long startTimestamp, long endTimestamp) =>
        (endTimestamp - startTimestamp) * 1000.0 / Stopwatch.Frequency;

    public LatencySummary Summarize()
    {
        lock (_workers)
        {
            return LatencySummary.From(_workers.SelectMany(w => w));
        }
    }
}
