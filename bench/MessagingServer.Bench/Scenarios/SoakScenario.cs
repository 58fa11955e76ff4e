using System.Diagnostics;
using System.Globalization;
using MessagingServer.Bench.Processes;
using MessagingServer.Bench.Soak;
using MessagingServer.TestSupport;

namespace MessagingServer.Bench.Scenarios;

/// <summary>
/// Soak: one server process under a moderate mixed load (socket sends through the fake Twilio with status
/// callbacks, signed inbound webhooks, reconnects, slow readers) for a long time (default one hour),
/// sampling its resident memory, live GC heap, open descriptors and threads every few seconds. Flat is the
/// target: the last quarter's means against the first quarter's.
/// </summary>
public sealed class SoakScenario : IScenario
{
    public static readonly TimeSpan DefaultDuration = TimeSpan.FromHours(1);
    public static readonly TimeSpan DefaultSampleEvery = TimeSpan.FromSeconds(30);

    public string Name => Cli.ScenarioNames.Soak;

    public string Title => "Soak: an hour of mixed load on one server; memory, GC heap, descriptors and threads over time";

    public async Task<ScenarioResult> RunAsync(ScenarioContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var duration = context.Options.RunSeconds is { } s ? TimeSpan.FromSeconds(s) : context.IsTiny ? TimeSpan.FromSeconds(4) : DefaultDuration;
        var every = context.Options.SampleSeconds is { } e ? TimeSpan.FromSeconds(e)
            : context.IsTiny ? TimeSpan.FromMilliseconds(500) : DefaultSampleEvery;
        var shape = context.IsTiny ? SoakShape.Tiny : SoakShape.Moderate;

        await using var fake = await context.StartFakeTwilioAsync("soak-fake-twilio");
        var port = FreePort.Next();
        var settings = context.TwilioSettings(new Uri($"http://127.0.0.1:{port}/"), fake);
        for (var i = 0; i < shape.InboxUsers; i++)
        {
            settings[$"Routing__Numbers__{ScenarioContext.NumberOf(i)}"] = SoakLoad.InboxUser(i);
        }

        await using var server = await context.StartServerAsync("soak-server", settings, port);
        var csv = Path.Combine(Path.GetTempPath(), string.Create(CultureInfo.InvariantCulture, $"messaging-soak-{DateTimeOffset.UtcNow:yyyyMMdd-HHmmss}.csv"));
        context.Log(string.Create(CultureInfo.InvariantCulture,
            $"soak: {duration.TotalMinutes:0.#} min, a sample every {every.TotalSeconds:0.#} s into {csv}; " +
            $"{shape.Senders} senders every {shape.SendEvery.TotalSeconds:0.##} s, a webhook every {shape.WebhookEvery.TotalMilliseconds:0} ms, " +
            $"{shape.Reconnectors} reconnectors every {shape.ReconnectEvery.TotalSeconds:0.#} s, {shape.SlowReaders} slow readers"));

        var load = new SoakLoad(context, server, shape);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.Cancel);
        var running = load.RunAsync(stop.Token);
        var samples = new List<SoakSample>();
        var clock = Stopwatch.StartNew();
        try
        {
            while (clock.Elapsed < duration && !context.Cancel.IsCancellationRequested && !server.HasExited)
            {
                var next = every * (samples.Count + 1);
                var wait = (next < duration ? next : duration) - clock.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, context.Cancel);
                }

                var sample = await SampleAsync(server, load, clock.Elapsed);
                samples.Add(sample);
                await File.AppendAllTextAsync(csv, (samples.Count == 1 ? SoakSample.CsvHeader + "\n" : "") + sample.ToCsv() + "\n", context.Cancel);
                if (samples.Count % Math.Max(1, (int)(TimeSpan.FromMinutes(5) / every)) == 0 || context.IsTiny)
                {
                    context.Log(string.Create(CultureInfo.InvariantCulture,
                        $"soak {sample.ElapsedSeconds / 60:0.0} min: RSS {sample.RssMib:0.0} MiB, heap {sample.HeapMib:0.0} MiB, {sample.OpenFds} fds, " +
                        $"{sample.Threads} threads; {sample.Sends:N0} sends, {sample.Webhooks:N0} webhooks, {sample.Reconnects:N0} reconnects, {sample.Errors:N0} errors"));
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
            await running;
        }

        if (server.HasExited)
        {
            return ScenarioResult.Failed(Name, Title, $"the server exited during the soak; its log ({server.LogPath}) ends:\n{server.LogTail(20)}");
        }

        var trends = SoakTrend.Judge(samples);
        var last = samples.Count > 0 ? samples[^1] : null;
        return new ScenarioResult(
            Name, Title,
            string.Create(CultureInfo.InvariantCulture,
                $"one server (SQLite, Twilio through bench/FakeTwilio with sent and delivered callbacks) for {duration.TotalMinutes:0.#} min; " +
                $"{shape.Senders} socket users each sending one SMS every {shape.SendEvery.TotalSeconds:0.##} s and acking, " +
                $"a signed inbound webhook every {shape.WebhookEvery.TotalMilliseconds:0} ms, {shape.Reconnectors} users reconnecting every " +
                $"{shape.ReconnectEvery.TotalSeconds:0.#} s (welcome, ack, close), {shape.SlowReaders} sockets never read and dropped without a close every " +
                $"{shape.SlowReaderLife.TotalSeconds:0} s. A sample every {every.TotalSeconds:0.#} s: RSS (/proc status), live GC heap after a forced full " +
                $"collection (bench counters), open descriptors (/proc/PID/fd), threads. Growth = last quarter's mean above the first quarter's by more than the allowance."),
            [SoakReport.TrendTable(trends), SoakReport.SamplesTable(samples)],
            SoakReport.Checks(trends),
            [
                $"samples: {csv}",
                last is null ? "no samples" : LoadLine(last),
            ]);
    }

    private static string LoadLine(SoakSample last) => string.Create(CultureInfo.InvariantCulture,
        $"load done: {last.Sends:N0} sends, {last.Webhooks:N0} webhooks answered 200, {last.Reconnects:N0} reconnects, " +
        $"{last.SlowReaderCycles:N0} slow-reader cycles, {last.Errors:N0} failed operations");

    private static async Task<SoakSample> SampleAsync(BenchProcess server, SoakLoad load, TimeSpan elapsed)
    {
        var counters = await server.CountersAsync(collect: true);
        var rss = ProcStats.ResidentKib(server.Pid) ?? -1;
        return new SoakSample(
            elapsed.TotalSeconds, rss / 1024.0, counters is null ? null : counters.HeapBytes / (1024.0 * 1024.0),
            SoakSample.OpenFdsOf(server.Pid), SoakSample.ThreadsOf(server.Pid),
            load.Sends, load.Webhooks, load.Reconnects, load.SlowReaderCycles, load.Errors);
    }
}
