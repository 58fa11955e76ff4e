using System.Globalization;
using MessagingServer.Bench.Processes;
using MessagingServer.Bench.Report;
using MessagingServer.Bench.Scenarios;

namespace MessagingServer.Bench.Cli;

/// <summary>The tool: parse, check the build, raise the open-file limit, run the scenarios, print, write the doc.</summary>
public static class BenchCli
{
    /// <summary>Enough for 19,000 sockets on each side plus everything else a process opens.</summary>
    public const ulong WantedOpenFiles = 65_536;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(output);
        BenchOptions options;
        try
        {
            options = BenchOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            await output.WriteLineAsync("error: " + e.Message);
            await output.WriteLineAsync(BenchOptions.Usage);
            return 2;
        }

        Artifacts artifacts;
        try
        {
            artifacts = Artifacts.Locate();
            if (options.ServerDll is { } serverDll)
            {
                artifacts = artifacts with { ServerDll = Path.GetFullPath(serverDll) };
            }
        }
        catch (InvalidOperationException e)
        {
            await output.WriteLineAsync("error: " + e.Message);
            return 2;
        }

        var missing = artifacts.Missing().ToList();
        if (missing.Count > 0)
        {
            await output.WriteLineAsync($"error: not built ({string.Join(", ", missing)}); run: dotnet build -c {artifacts.Configuration} bench/MessagingServer.Bench");
            return 2;
        }

        var limits = Native.RaiseOpenFileLimit(WantedOpenFiles);
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 64), Math.Max(io, 64));
        var machine = MachineInfo.Read(artifacts.RepoRoot, limits);
        var started = DateTimeOffset.UtcNow;
        var workDir = Path.Combine(Path.GetTempPath(), $"messaging-bench-{started:yyyyMMdd-HHmmss}-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(workDir);

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"MessagingServer bench: {string.Join(", ", options.Scenarios)}; size {options.Size.ToString().ToLowerInvariant()}, {options.Rounds} round(s)"));
        await output.WriteLineAsync($"machine: {machine.Cores} cores, {machine.Memory}, {machine.Os}, {machine.Runtime}; commit {machine.Commit}");
        await output.WriteLineAsync($"open files: {machine.OpenFiles ?? "unknown"} (wanted {WantedOpenFiles}); built {artifacts.Configuration}; work folder {workDir}");
        await output.WriteLineAsync($"server under test: {artifacts.ServerDll}");
        if (options.Size == BenchSize.Full && options.Rounds < BenchOptions.MinimumFullRounds)
        {
            await output.WriteLineAsync($"warning: {options.Rounds} round(s): ratios need at least {BenchOptions.MinimumFullRounds} to count");
        }

        if (options.Size == BenchSize.Tiny)
        {
            await output.WriteLineAsync("tiny size: a smoke run; the numbers prove the paths work, not the server's speed");
        }

        var results = new List<ScenarioResult>();
        using (var context = new ScenarioContext(options, artifacts, output, workDir, cancel))
        {
            foreach (var name in options.Scenarios)
            {
                if (cancel.IsCancellationRequested)
                {
                    break;
                }

                var scenario = Scenarios.Scenarios.Create(name);
                context.Log($"scenario {name}: {scenario.Title}");
                ScenarioResult result;
                try
                {
                    result = await scenario.RunAsync(context);
                }
                catch (OperationCanceledException) when (cancel.IsCancellationRequested)
                {
                    result = ScenarioResult.Failed(name, scenario.Title, "cancelled");
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    result = ScenarioResult.Failed(name, scenario.Title, $"{e.GetType().Name}: {e.Message}");
                    await File.AppendAllTextAsync(Path.Combine(workDir, "errors.log"), $"{name}: {e}\n", CancellationToken.None);
                }

                results.Add(result);
                context.Write(TextReport.Scenario(result));
            }
        }

        var checks = results.SelectMany(r => r.Checks.Select(c => (r.Name, c))).ToList();
        await output.WriteLineAsync();
        await output.WriteLineAsync("== summary" + (options.Size == BenchSize.Tiny ? " (tiny: verdicts are not meaningful)" : ""));
        foreach (var result in results)
        {
            var state = result.Error is not null ? "ERROR: " + result.Error
                : result.SkipReason is not null ? "skipped: " + result.SkipReason
                : $"ran, {result.Checks.Count(c => c.Verdict == Verdict.Pass)}/{result.Checks.Count} targets met";
            await output.WriteLineAsync($"{result.Name,-11} {state}");
        }

        if (checks.Count > 0)
        {
            await output.WriteLineAsync();
            await output.WriteAsync(TextReport.Table(TextReport.ChecksTable("targets", checks)));
        }

        if (options.OutFile is { } outFile)
        {
            BenchmarksDoc.Write(outFile, results, machine, options, started);
            await output.WriteLineAsync($"wrote {Path.GetFullPath(outFile)}");
        }

        var failed = results.Any(r => r.Error is not null);
        if (failed)
        {
            await output.WriteLineAsync($"logs kept in {workDir}");
        }
        else
        {
            TryDelete(workDir);
        }

        return failed ? 1 : 0;
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
