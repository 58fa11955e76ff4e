using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace MessagingServer.EndToEnd.WebConsole;

/// <summary>
/// One <c>node console.mjs --serve</c> process, with one Chromium, for all the scenarios of a test class:
/// Node and the browser start once (seconds on a busy 2-core machine), each scenario still gets a fresh
/// page and its own server. A scenario is a <c>@@run {...}</c> line on Node's stdin, answered by a
/// <c>@@result {...}</c> line; in between, the scenario's <c>@@harness</c> requests are answered by the test.
/// </summary>
public sealed class BrowserSession : IAsyncLifetime
{
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private readonly object _lock = new();
    private Process? _node;
    private Run? _current;
    private int _nextId;

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Runs one scenario; the result carries everything Node printed meanwhile.</summary>
    public async Task<ScriptResult> RunAsync(JsonObject run, Func<JsonObject, Task<JsonNode?>> host, TimeSpan timeout)
    {
        await _oneAtATime.WaitAsync();
        var stopwatch = Stopwatch.StartNew();
        var current = new Run(Interlocked.Increment(ref _nextId), host);
        try
        {
            lock (_lock)
            {
                _current = current;
            }

            var node = EnsureStarted();

            run["id"] = current.Id;
            await WriteLineAsync(node, "@@run " + run.ToJsonString());
            try
            {
                var result = await current.Result.Task.WaitAsync(timeout);
                return new ScriptResult((bool?)result["ok"] == true ? 0 : 1, current.Output(), stopwatch.Elapsed);
            }
            catch (TimeoutException)
            {
                current.Append($"[test] the scenario did not finish within {timeout.TotalSeconds:0} s: Node and its browser are killed");
                Kill();
                return new ScriptResult(-1, current.Output(), stopwatch.Elapsed);
            }
            catch (InvalidOperationException e)
            {
                current.Append("[test] " + e.Message);
                return new ScriptResult(-1, current.Output(), stopwatch.Elapsed);
            }
        }
        finally
        {
            lock (_lock)
            {
                _current = null;
            }

            _oneAtATime.Release();
        }
    }

    private Process EnsureStarted()
    {
        if (_node is { HasExited: false } running)
        {
            return running;
        }

        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = BrowserScript.Folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add("console.mjs");
        start.ArgumentList.Add("--serve");
        var node = new Process { StartInfo = start };
        lock (_lock)
        {
            _node = node;
        }

        node.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Append(node, "[stderr] " + e.Data);
            }
        };
        node.Start();
        node.BeginErrorReadLine();
        _ = Task.Run(() => ReadAsync(node));
        return node;
    }

    private async Task ReadAsync(Process node)
    {
        while (await node.StandardOutput.ReadLineAsync() is { } line)
        {
            Append(node, line);
            if (line.StartsWith("@@harness ", StringComparison.Ordinal))
            {
                // Answered off the reading loop: a server restart takes seconds and Node keeps printing.
                var request = JsonNode.Parse(line["@@harness ".Length..])!.AsObject();
                var run = CurrentRun(node);
                _ = Task.Run(async () => await WriteLineAsync(node, "@@reply " + (await AnswerAsync(run, request)).ToJsonString()));
            }
            else if (line.StartsWith("@@result ", StringComparison.Ordinal))
            {
                var result = JsonNode.Parse(line["@@result ".Length..])!.AsObject();
                var run = CurrentRun(node);
                if (run is not null && (int?)result["id"] == run.Id)
                {
                    run.Result.TrySetResult(result);
                }
            }
        }

        await node.WaitForExitAsync();
        CurrentRun(node)?.Result.TrySetException(new InvalidOperationException($"node console.mjs --serve exited with {node.ExitCode}"));
    }

    private static async Task<JsonObject> AnswerAsync(Run? run, JsonObject request)
    {
        var reply = new JsonObject { ["id"] = request["id"]!.DeepClone() };
        try
        {
            reply["result"] = run is null ? throw new InvalidOperationException("no scenario is running") : await run.Host(request);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            run?.Append($"[test] '{request["action"]}' failed: {e}");
            reply["error"] = e.Message;
        }

        return reply;
    }

    private async Task WriteLineAsync(Process node, string line)
    {
        try
        {
            await node.StandardInput.WriteLineAsync(line);
            await node.StandardInput.FlushAsync();
        }
        catch (IOException)
        {
            // Node is gone; the reading loop reports it.
        }
    }

    /// <summary>The running scenario, as long as <paramref name="node"/> is still the process that runs it.</summary>
    private Run? CurrentRun(Process node)
    {
        lock (_lock)
        {
            return ReferenceEquals(node, _node) ? _current : null;
        }
    }

    private void Append(Process node, string line) => CurrentRun(node)?.Append(line);

    private void Kill()
    {
        Process? node;
        lock (_lock)
        {
            node = _node;
            _node = null; // the next scenario starts a new one
        }

        try
        {
            node?.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // already gone
        }

        node?.Dispose();
    }

    public async Task DisposeAsync()
    {
        if (_node is not { } node)
        {
            _oneAtATime.Dispose();
            return;
        }

        try
        {
            node.StandardInput.Close(); // Node closes its browser and exits
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await node.WaitForExitAsync(timeout.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            Kill();
        }

        node.Dispose();
        _oneAtATime.Dispose();
    }

    private sealed class Run(int id, Func<JsonObject, Task<JsonNode?>> host)
    {
        private readonly StringBuilder _output = new();

        public int Id { get; } = id;

        public Func<JsonObject, Task<JsonNode?>> Host { get; } = host;

        public TaskCompletionSource<JsonObject> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Append(string line)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }

        public string Output()
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }
}
