using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using MessagingServer.TestSupport;

namespace MessagingServer.Bench.Processes;

/// <summary>What a process has used so far: CPU (from /proc), resident memory, and its bench counters when it has them.</summary>
public sealed record ProcessSample(double CpuMs, long RssKib, long? AllocatedBytes, long? HeapBytes, long Timestamp);

/// <summary>The counters a process in bench mode answers on <c>GET /bench/counters</c>.</summary>
public sealed record BenchCounters(
    [property: JsonPropertyName("allocatedBytes")] long AllocatedBytes,
    [property: JsonPropertyName("cpuMs")] double CpuMs,
    [property: JsonPropertyName("heapBytes")] long HeapBytes);

/// <summary>
/// A server the tool started: <c>dotnet &lt;dll&gt; --urls http://127.0.0.1:&lt;free port&gt;</c> with settings in its
/// environment, its output in a log file (not through the tool, which would cost the tool CPU), stopped
/// with SIGTERM (then killed if it lingers).
/// </summary>
public sealed class BenchProcess : IAsyncDisposable
{
    private static readonly string[] InheritedUrlVariables = ["ASPNETCORE_URLS", "DOTNET_URLS", "URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS"];

    private readonly Process _process;
    private readonly HttpClient _http;

    private BenchProcess(string name, Process process, Uri baseUri, string logPath, HttpClient http)
    {
        Name = name;
        _process = process;
        BaseUri = baseUri;
        LogPath = logPath;
        _http = http;
    }

    public string Name { get; }

    public Uri BaseUri { get; }

    public string LogPath { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    public Uri Http(string pathAndQuery) => new(BaseUri, pathAndQuery);

    public Uri Ws(string pathAndQuery) => new($"ws://{BaseUri.Authority}{pathAndQuery}");

    public static async Task<BenchProcess> StartAsync(
        string name, string dll, IReadOnlyDictionary<string, string> environment, string workDir, string readyPath,
        HttpClient http, TimeSpan timeout, CancellationToken cancel, IEnumerable<string>? extraArgs = null, int port = 0)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (port == 0)
        {
            port = FreePort.Next();
        }

        var baseUri = new Uri($"http://127.0.0.1:{port}/");
        var log = Path.Combine(workDir, $"{name}.log");
        // bash, not sh: dash drops environment variables whose names are not shell identifiers,
        // such as Routing__Numbers__+15552000000, before it execs the server.
        var shell = File.Exists("/bin/bash") ? "/bin/bash" : "/bin/sh";
        var start = new ProcessStartInfo(shell) { UseShellExecute = false, WorkingDirectory = workDir };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec \"$0\" \"$@\" >>\"$BENCH_PROCESS_LOG\" 2>&1");
        start.ArgumentList.Add(DotnetHost);
        start.ArgumentList.Add(dll);
        foreach (var arg in extraArgs ?? [])
        {
            start.ArgumentList.Add(arg);
        }

        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        foreach (var variable in InheritedUrlVariables)
        {
            start.Environment.Remove(variable);
        }

        start.Environment["BENCH_PROCESS_LOG"] = log;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{name}: could not start {dll}");
        var started = new BenchProcess(name, process, baseUri, log, http);
        try
        {
            await started.WaitReadyAsync(readyPath, timeout, cancel);
            return started;
        }
        catch
        {
            await started.DisposeAsync();
            throw;
        }
    }

    private async Task WaitReadyAsync(string readyPath, TimeSpan timeout, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        var last = "no answer";
        while (clock.Elapsed < timeout)
        {
            cancel.ThrowIfCancellationRequested();
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with {_process.ExitCode} before it was ready; its log ({LogPath}) ends:\n{LogTail(30)}");
            }

            try
            {
                using var probe = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                using var response = await _http.GetAsync(Http(readyPath), probe.Token);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }

                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(probe.Token)}";
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }
            catch (TaskCanceledException)
            {
                last = "timeout";
            }

            await Task.Delay(100, cancel);
        }

        throw new TimeoutException($"{Name} was not ready within {timeout} ({readyPath}: {last}); its log ({LogPath}) ends:\n{LogTail(30)}");
    }

    public string LogTail(int lines)
    {
        try
        {
            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            var all = reader.ReadToEnd().Split('\n');
            return string.Join('\n', all.TakeLast(lines));
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }

    /// <summary>The bench counters, or null when the process has none (404) or does not answer.</summary>
    public async Task<BenchCounters?> CountersAsync(bool collect = false)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            using var response = await _http.GetAsync(Http(collect ? "bench/counters?collect=true" : "bench/counters"), timeout.Token);
            return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<BenchCounters>(timeout.Token) : null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
        {
            return null;
        }
    }

    public async Task<ProcessSample> SampleAsync(bool collect = false)
    {
        var counters = await CountersAsync(collect);
        return new ProcessSample(
            ProcStats.CpuMilliseconds(Pid) ?? double.NaN, ProcStats.ResidentKib(Pid) ?? -1, counters?.AllocatedBytes, counters?.HeapBytes, Stopwatch.GetTimestamp());
    }

    /// <summary>kill -9: no shutdown, no leave; returns once the process is gone.</summary>
    public async Task KillHardAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
        }

        await _process.WaitForExitAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                Native.Terminate(_process.Id);
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                try
                {
                    await _process.WaitForExitAsync(grace.Token);
                }
                catch (OperationCanceledException)
                {
                    _process.Kill(entireProcessTree: true);
                    await _process.WaitForExitAsync(CancellationToken.None);
                }
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }

        _process.Dispose();
    }
}

/// <summary>What one side used during one run, per operation.</summary>
public sealed record ResourceUse(double CpuUsPerOp, double? BytesPerOp, double CpuCores)
{
    public static ResourceUse Between(ProcessSample before, ProcessSample after, long operations)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var ops = Math.Max(operations, 1);
        var seconds = (after.Timestamp - before.Timestamp) / (double)Stopwatch.Frequency;
        var cpuMs = after.CpuMs - before.CpuMs;
        double? bytes = before.AllocatedBytes is { } a && after.AllocatedBytes is { } b ? (b - a) / (double)ops : null;
        return new ResourceUse(cpuMs * 1000.0 / ops, bytes, seconds > 0 ? cpuMs / 1000.0 / seconds : double.NaN);
    }
}
