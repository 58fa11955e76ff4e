using System.Diagnostics;
using System.Globalization;
using MessagingServer.Bench.Cli;
using MessagingServer.Bench.Clients;
using MessagingServer.Bench.Processes;
using MessagingServer.TestSupport.Twilio;

namespace MessagingServer.Bench.Scenarios;

/// <summary>What every scenario shares: options, sizes, the built servers, a work folder, an HTTP client, the log.</summary>
public sealed class ScenarioContext : IDisposable
{
    /// <summary>How long a started process may take to answer its readiness probe.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly TextWriter _out;
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public ScenarioContext(BenchOptions options, Artifacts artifacts, TextWriter output, string workDir, CancellationToken cancel)
    {
        Options = options;
        Size = SizeProfile.For(options);
        Artifacts = artifacts;
        _out = output;
        WorkDir = workDir;
        Cancel = cancel;
        Http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 1024,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            ConnectTimeout = TimeSpan.FromSeconds(10),
        })
        {
            Timeout = TimeSpan.FromSeconds(60),
        };
        Tokens = Jwt.Random(TimeSpan.FromHours(12));
        TwilioAccountSid = TwilioSigner.NewSid("AC");
        TwilioAuthToken = System.Security.Cryptography.RandomNumberGenerator.GetHexString(32, lowercase: true);
    }

    public BenchOptions Options { get; }

    public SizeProfile Size { get; }

    public Artifacts Artifacts { get; }

    public string WorkDir { get; }

    public CancellationToken Cancel { get; }

    /// <summary>For control calls and webhooks (many connections to one host allowed).</summary>
    public HttpClient Http { get; }

    public Jwt Tokens { get; }

    public string TwilioAccountSid { get; }

    public string TwilioAuthToken { get; }

    public const string TwilioFrom = "+15550000000";

    public bool IsTiny => Options.Size == BenchSize.Tiny;

    public void Log(string message)
    {
        lock (_out)
        {
            _out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{_clock.Elapsed.TotalSeconds,7:0.0}s] {message}"));
            _out.Flush();
        }
    }

    public void Write(string text)
    {
        lock (_out)
        {
            _out.Write(text);
            _out.Flush();
        }
    }

    /// <summary>
    /// The server under test in bench mode. It gets limits high enough for a load test (they matter once
    /// the security branch is in), a signing key for the tool's tokens, its own SQLite file (or PostgreSQL),
    /// and the <c>--env</c> variables last.
    /// </summary>
    /// <param name="postgresConnection">A PostgreSQL journal of the caller's (the cluster scenario's); else <c>--pg</c> when <paramref name="postgres"/>, else SQLite.</param>
    public async Task<BenchProcess> StartServerAsync(
        string name, IReadOnlyDictionary<string, string>? settings = null, int port = 0, bool postgres = false, string? postgresConnection = null)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Bench__Enabled"] = "true",
            ["Auth__SigningKey"] = Tokens.SigningKey,
            ["Limits__HandshakesPerWindow"] = "1000000",
            ["Limits__MaxSockets"] = "1000000",
            ["Limits__MaxSocketsPerUser"] = "100000",
            ["Limits__MaxSocketsPerIp"] = "1000000",
            ["Limits__MaxAnonymousSockets"] = "1000000",
            ["Limits__SendsPerSecond"] = "100000",
            ["Limits__SendBurst"] = "1000000",
        };
        if ((postgresConnection ?? (postgres ? Options.PostgresConnection : null)) is { } connection)
        {
            env["Persistence__Provider"] = "PostgreSql";
            env["ConnectionStrings__Messaging"] = connection;
        }
        else
        {
            env["Persistence__Provider"] = "Sqlite";
            env["Persistence__SqlitePath"] = Path.Combine(WorkDir, name + ".db");
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            env[key] = value;
        }

        foreach (var (key, value) in Options.ServerEnvironment)
        {
            env[key] = value;
        }

        Log($"starting {name} (MessagingServer.dll)");
        var server = await BenchProcess.StartAsync(name, Artifacts.ServerDll, env, WorkDir, "health/ready", Http, StartTimeout, Cancel, port: port);
        Log($"{name} ready at {server.BaseUri} (pid {server.Pid}, log {server.LogPath})");
        return server;
    }

    public async Task<BenchProcess> StartBaselineAsync(string name, IReadOnlyDictionary<string, string>? settings = null, int port = 0)
    {
        Log($"starting {name} (BaselineServers.dll)");
        var baseline = await BenchProcess.StartAsync(
            name, Artifacts.BaselineDll, settings ?? new Dictionary<string, string>(), WorkDir, "", Http, StartTimeout, Cancel, port: port);
        Log($"{name} ready at {baseline.BaseUri} (pid {baseline.Pid})");
        return baseline;
    }

    public async Task<BenchProcess> StartFakeTwilioAsync(string name = "fake-twilio")
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["FakeTwilio__AccountSid"] = TwilioAccountSid,
            ["FakeTwilio__AuthToken"] = TwilioAuthToken,
            ["FakeTwilio__CallbackStatuses"] = "sent,delivered",
            ["FakeTwilio__CallbackWorkers"] = "64",
        };
        Log($"starting {name} (FakeTwilio.dll)");
        var fake = await BenchProcess.StartAsync(name, Artifacts.FakeTwilioDll, env, WorkDir, "", Http, StartTimeout, Cancel);
        Log($"{name} ready at {fake.BaseUri} (pid {fake.Pid})");
        return fake;
    }

    /// <summary>
    /// <c>Twilio:*</c> for a process that sends through <paramref name="fakeTwilio"/> (or nowhere, for
    /// inbound only) and is called back at <paramref name="selfBase"/>; the same variables serve the
    /// server and the baselines. Rate limits are lifted to what the validator allows.
    /// </summary>
    public Dictionary<string, string> TwilioSettings(Uri selfBase, BenchProcess? fakeTwilio)
    {
        ArgumentNullException.ThrowIfNull(selfBase);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Twilio__AccountSid"] = TwilioAccountSid,
            ["Twilio__AuthToken"] = TwilioAuthToken,
            ["Twilio__From"] = TwilioFrom,
            // Nothing listens on port 9 of loopback: inbound-only scenarios never send.
            ["Twilio__ApiBaseUrl"] = fakeTwilio?.BaseUri.AbsoluteUri.TrimEnd('/') ?? "http://127.0.0.1:9",
            ["Twilio__WebhookBaseUrl"] = selfBase.AbsoluteUri.TrimEnd('/'),
            ["Twilio__MessagesPerSecond"] = "10000",
            ["Twilio__MaxConcurrentRequests"] = "256",
            ["Twilio__MaxQueuedPerSender"] = "1000000",
            ["Twilio__RetryBaseDelay"] = "00:00:00.010",
        };
    }

    /// <summary><c>Routing:Numbers</c>: user i owns +1555200 followed by i in four digits.</summary>
    public static Dictionary<string, string> OwnedNumbers(string userPrefix, int users)
    {
        var numbers = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < users; i++)
        {
            numbers[$"Routing__Numbers__{NumberOf(i)}"] = UserId(userPrefix, i);
        }

        return numbers;
    }

    public static string NumberOf(int user) => string.Create(CultureInfo.InvariantCulture, $"+1555200{user:D4}");

    public static string ClientNumber(long index) => string.Create(CultureInfo.InvariantCulture, $"+1555300{index % 10_000:D4}");

    public static string UserId(string prefix, int index) => string.Create(CultureInfo.InvariantCulture, $"{prefix}{index}");

    /// <summary>A user's socket URL on the server, with a token in the query (ignored by a server without authentication).</summary>
    public Uri UserSocket(BenchProcess server, string userId, string? query = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        var q = $"access_token={Tokens.For(userId)}" + (query is null ? "" : "&" + query);
        return server.Ws($"/message/{Uri.EscapeDataString(userId)}?{q}");
    }

    public void Dispose() => Http.Dispose();
}

/// <summary>What the server under test has, found by asking it.</summary>
public static class ServerProbe
{
    /// <summary>"SQL journal" when the readiness report names a storage check (persistence is in), else Akka's in-memory journal.</summary>
    public static async Task<string> StorageAsync(ScenarioContext context, BenchProcess server, bool postgres = false)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(server);
        var body = await context.Http.GetStringAsync(server.Http("health/ready"), context.Cancel);
        if (!body.Contains("\"storage\"", StringComparison.OrdinalIgnoreCase))
        {
            return StorageModes.InMemory;
        }

        return postgres ? StorageModes.PostgreSql : StorageModes.Sqlite;
    }

    /// <summary>
    /// Whether <c>POST /twilio/sms</c> exists: an unsigned post answers 403 (or 400/415) when it does, 404 when
    /// it does not. A 404 with <c>twilio_not_configured</c> means the endpoint is there but refused our settings.
    /// </summary>
    public static async Task<(bool Present, string Detail)> TwilioWebhookAsync(ScenarioContext context, BenchProcess server)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(server);
        using var content = new FormUrlEncodedContent([new KeyValuePair<string, string>("probe", "1")]);
        using var response = await context.Http.PostAsync(server.Http("twilio/sms"), content, context.Cancel);
        var body = await response.Content.ReadAsStringAsync(context.Cancel);
        var status = (int)response.StatusCode;
        if (status == 404 && body.Contains("twilio_not_configured", StringComparison.Ordinal))
        {
            return (false, "POST /twilio/sms exists but says Twilio is not configured: the bench's Twilio__* settings were not taken");
        }

        return status == 404
            ? (false, "POST /twilio/sms answered 404: this server build has no Twilio webhook yet (it lands with the twilio branch)")
            : (true, $"POST /twilio/sms present (an unsigned probe got {status})");
    }
}

public static class StorageModes
{
    public const string Sqlite = "SQLite (Akka.Persistence.Sql, WAL)";
    public const string PostgreSql = "PostgreSQL (Akka.Persistence.Sql)";
    public const string InMemory = "in-memory journal (no SQL persistence in this build yet)";
}
