using System.Diagnostics;
using System.Text.RegularExpressions;

namespace MessagingServer.EndToEnd.Infrastructure;

/// <summary>The server as a separate OS process (the built <c>MessagingServer.dll</c>), for signal and crash tests.</summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];
    private readonly string? _dataFolder;

    private ServerProcess(Process process, Uri baseAddress, string? dataFolder)
    {
        _process = process;
        _dataFolder = dataFolder;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public IReadOnlyList<string> Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToArray();
            }
        }
    }

    public Uri WebSocketUri(string pathAndQuery) => new($"ws://{BaseAddress.Authority}{pathAndQuery}");

    public static string ServerAssemblyPath
    {
        get
        {
            // The test project references the server, so its build output sits beside the tests.
            var path = Path.Combine(AppContext.BaseDirectory, "MessagingServer.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException("MessagingServer.dll not beside the tests", path);
        }
    }

    /// <param name="port">0 for a free port the OS picks; a fixed one to start again where a killed server was.</param>
    public static async Task<ServerProcess> StartAsync(IDictionary<string, string>? environment = null, TimeSpan? timeout = null, int port = 0)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(ServerAssemblyPath);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["Auth__SigningKey"] = RunningServer.TestSigningKey;
        // Unless told otherwise, a process stores into a folder of its own, never into the build output.
        string? dataFolder = null;
        if (environment is null || !environment.ContainsKey("Persistence__SqlitePath"))
        {
            dataFolder = TestFolders.Create("process");
            start.Environment["Persistence__SqlitePath"] = Path.Combine(dataFolder, "messaging.db");
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var lines = new List<string>();
        void OnLine(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (lines)
            {
                lines.Add(line);
            }

            var match = ListeningAddress().Match(line);
            if (match.Success)
            {
                listening.TrySetResult(new Uri(match.Value));
            }
        }

        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException(
            "server exited before listening:\n" + string.Join('\n', lines)));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var address = await listening.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(30));
            var server = new ServerProcess(process, address, dataFolder);
            server._output.AddRange(lines);
            process.OutputDataReceived += (_, e) => server.Append(e.Data);
            process.ErrorDataReceived += (_, e) => server.Append(e.Data);
            return server;
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            TestFolders.Delete(dataFolder);
            throw;
        }
    }

    /// <summary>
    /// Runs the built server binary with <paramref name="args"/> (a sub-command, or a start that is
    /// expected to fail) to its exit, in the Testing environment with the test key unless
    /// <paramref name="environment"/> says otherwise.
    /// </summary>
    public static async Task<CommandResult> RunToExitAsync(
        IEnumerable<string> args, IDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(ServerAssemblyPath);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["Auth__SigningKey"] = RunningServer.TestSigningKey;
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{string.Join(' ', start.ArgumentList)}' did not exit in time");
        }

        return new CommandResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Sends SIGTERM, as a service manager or <c>docker stop</c> would.</summary>
    public async Task TerminateAsync()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    public void KillHard() => _process.Kill(entireProcessTree: true);

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Add(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        TestFolders.Delete(_dataFolder);
    }

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+")]
    private static partial Regex ListeningAddress();
}

/// <summary>How a run of the server binary ended.</summary>
public sealed record CommandResult(int ExitCode, string Output, string Error);
