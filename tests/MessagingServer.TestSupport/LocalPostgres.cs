using System.Diagnostics;
using System.Globalization;
using System.Text;
using Npgsql;

namespace MessagingServer.TestSupport;

/// <summary>
/// A throwaway PostgreSQL server from the machine's binaries (<c>initdb</c>, <c>pg_ctl</c> on PATH or under
/// <c>/usr/lib/postgresql/*/bin</c>): its own data and socket folder under the temp folder, a loopback port
/// the OS picked, trust authentication for the <c>postgres</c> user. Run as root, it runs as the
/// <c>postgres</c> OS user (initdb refuses root). The end-to-end suites use it as a fixture (their
/// <c>PostgresServer</c>); the bench's <c>cluster</c> scenario starts one when it is given no connection string.
/// </summary>
public class LocalPostgres
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(90);

    private string _binaries = null!;
    private string _root = null!;
    private int _databases;

    /// <summary>The loopback TCP port the server listens on.</summary>
    public int Port { get; private set; }

    public bool IsRunning { get; private set; }

    private string DataFolder => Path.Combine(_root, "data");

    private string SocketFolder => Path.Combine(_root, "socket");

    private string LogFile => Path.Combine(_root, "postgres.log");

    private static bool RunningAsRoot => Environment.UserName == "root";

    public async Task InitializeAsync()
    {
        _binaries = FindBinaries() ?? throw new InvalidOperationException(
            "PostgreSQL's initdb and pg_ctl were not found on PATH or under /usr/lib/postgresql/*/bin: " +
            "install the 'postgresql' package (bash .ci/run, the README's test command, does).");
        // Straight under the temp folder (world-traversable), so the postgres user reaches it whatever the umask.
        _root = Directory.CreateTempSubdirectory("messaging-postgres-").FullName;
        Directory.CreateDirectory(SocketFolder);
        if (RunningAsRoot)
        {
            await RunAsync("chown", ["-R", "postgres:postgres", _root], asServerUser: false);
        }

        await RunAsync(
            Path.Combine(_binaries, "initdb"),
            ["-D", DataFolder, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--no-locale", "--no-sync"]);
        Port = FreePort.Next();
        await StartAsync();
    }

    /// <summary>Starts the server again after <see cref="StopAsync"/>, on the same port and data.</summary>
    public async Task StartAsync()
    {
        var options = string.Create(
            CultureInfo.InvariantCulture,
            $"-p {Port} -k {SocketFolder} -c listen_addresses=127.0.0.1 -c max_connections=200");
        await RunAsync(Path.Combine(_binaries, "pg_ctl"), ["-D", DataFolder, "-l", LogFile, "-o", options, "-w", "-t", "60", "start"]);
        IsRunning = true;
    }

    /// <summary>Stops the server (fast shutdown: open connections are closed), as if the database went away.</summary>
    public async Task StopAsync()
    {
        await RunAsync(Path.Combine(_binaries, "pg_ctl"), ["-D", DataFolder, "-m", "fast", "-w", "-t", "60", "stop"]);
        IsRunning = false;
    }

    /// <summary>The connection string of a database on this server (created with <see cref="CreateDatabaseAsync"/>).</summary>
    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Username = "postgres",
            Database = database,
        }.ConnectionString;

    /// <summary>Creates a fresh database, e.g. one per test class, and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"{Sanitize(prefix)}_{Interlocked.Increment(ref _databases)}");
        // Unpooled: a pooled connection would be a dead socket after a Stop/Start.
        await using var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"CREATE DATABASE \"{name}\"";
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (IsRunning)
        {
            try
            {
                await RunAsync(Path.Combine(_binaries, "pg_ctl"), ["-D", DataFolder, "-m", "immediate", "-w", "stop"]);
            }
            catch (InvalidOperationException)
            {
                // Already gone; the folder is removed all the same.
            }
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: what is left stays until the OS cleans its temp folder.
        }
    }

    private static string? FindBinaries()
    {
        static bool HasBoth(string folder) =>
            File.Exists(Path.Combine(folder, "initdb")) && File.Exists(Path.Combine(folder, "pg_ctl"));

        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(HasBoth);
        if (onPath is not null)
        {
            return onPath;
        }

        const string debianRoot = "/usr/lib/postgresql";
        return Directory.Exists(debianRoot)
            ? Directory.GetDirectories(debianRoot)
                .Select(version => Path.Combine(version, "bin"))
                .Where(HasBoth)
                .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
    }

    private static string Sanitize(string prefix)
    {
        var name = new string(prefix.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray());
        return name.Length > 40 ? name[..40] : name;
    }

    private async Task RunAsync(string program, IReadOnlyList<string> arguments, bool asServerUser = true)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _root,
        };
        if (asServerUser && RunningAsRoot)
        {
            start.FileName = "runuser";
            foreach (var a in (string[])["-u", "postgres", "--", program])
            {
                start.ArgumentList.Add(a);
            }
        }
        else
        {
            start.FileName = program;
        }

        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(CommandTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{Path.GetFileName(program)} did not finish within {CommandTimeout}");
        }

        if (process.ExitCode != 0)
        {
            var message = new StringBuilder()
                .AppendLine(CultureInfo.InvariantCulture, $"{Path.GetFileName(program)} {string.Join(' ', arguments)} exited with {process.ExitCode}")
                .AppendLine(await output)
                .AppendLine(await error);
            if (File.Exists(LogFile))
            {
                message.AppendLine("postgres.log:").AppendLine(string.Join('\n', File.ReadLines(LogFile).TakeLast(30)));
            }

            throw new InvalidOperationException(message.ToString());
        }
    }
}
