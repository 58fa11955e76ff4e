using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace MessagingServer.EndToEnd.WebConsole;

/// <summary>
/// Runs a Node script of <c>tests/browser</c> (playwright-core driving Debian's Chromium) with a bounded
/// time, captures everything it prints for the failure message, and answers its requests to the test
/// host: a line <c>@@harness {"id":1,"action":"..."}</c> on its stdout gets <c>@@reply {"id":1,"result":...}</c>
/// on its stdin once <c>host</c> has acted.
/// </summary>
internal static class BrowserScript
{
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>The <c>tests/browser</c> folder of the source tree the tests were built from.</summary>
    public static string Folder { get; } = FindFolder();

    /// <summary>Why the browser tests cannot run on this machine, or null when they can.</summary>
    public static string? MissingPrerequisite()
    {
        if (!File.Exists(Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? ChromiumPath))
        {
            return $"{ChromiumPath} is missing: run bash .ci/run, the README's test command (it installs chromium).";
        }

        if (!Directory.Exists(Path.Combine(Folder, "node_modules", "playwright-core")))
        {
            return $"{Folder}/node_modules is missing: run bash .ci/run, the README's test command (it runs npm ci in tests/browser).";
        }

        return null;
    }

    public static async Task<ScriptResult> RunAsync(
        IReadOnlyList<string> arguments,
        TimeSpan timeout,
        Func<JsonObject, Task<JsonNode?>>? host = null,
        IReadOnlyDictionary<string, string>? environment = null,
        string? workingDirectory = null)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = workingDirectory ?? Folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var output = new StringBuilder();
        void Append(string line)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }

        var stopwatch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = start };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Append("[stderr] " + e.Data);
            }
        };
        process.Start();
        process.BeginErrorReadLine();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (await process.StandardOutput.ReadLineAsync(cts.Token) is { } line)
            {
                Append(line);
                if (line.StartsWith("@@harness ", StringComparison.Ordinal))
                {
                    var reply = await AnswerAsync(JsonNode.Parse(line["@@harness ".Length..])!.AsObject(), host, Append);
                    await process.StandardInput.WriteLineAsync(("@@reply " + reply.ToJsonString()).AsMemory(), cts.Token);
                    await process.StandardInput.FlushAsync(cts.Token);
                }
            }

            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            Append($"[test] node {string.Join(' ', arguments)} was killed after {timeout.TotalSeconds:0} s");
            return new ScriptResult(-1, Text(), stopwatch.Elapsed);
        }

        process.WaitForExit(); // drains the stderr events
        return new ScriptResult(process.ExitCode, Text(), stopwatch.Elapsed);

        string Text()
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    private static async Task<JsonObject> AnswerAsync(JsonObject request, Func<JsonObject, Task<JsonNode?>>? host, Action<string> log)
    {
        var reply = new JsonObject { ["id"] = request["id"]!.DeepClone() };
        try
        {
            reply["result"] = host is null ? throw new InvalidOperationException("this test answers no requests") : await host(request);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            log($"[test] '{request["action"]}' failed: {e}");
            reply["error"] = e.Message;
        }

        return reply;
    }

    private static string FindFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "browser");
            if (File.Exists(Path.Combine(candidate, "package.json")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"tests/browser not found above {AppContext.BaseDirectory}");
    }
}

/// <summary>How a script ended: its exit code (-1 when killed for time) and all it printed.</summary>
public sealed record ScriptResult(int ExitCode, string Output, TimeSpan Elapsed);
