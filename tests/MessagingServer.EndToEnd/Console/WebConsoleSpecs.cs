using System.Text.Json.Nodes;
using MessagingServer.EndToEnd.Infrastructure;
using MessagingServer.Sms;
using Xunit.Abstractions;

namespace MessagingServer.EndToEnd.WebConsole;

/// <summary>
/// The web console in a real browser (tests/browser/console.mjs): each test starts the server with the
/// loopback provider answering every SMS, runs one scenario in headless Chromium, and acts for it on the
/// server side (an inbound SMS through <see cref="ISmsIngress"/>, a stop and a start on the same port).
/// </summary>
public sealed class WebConsoleSpecs(BrowserSession browser, ITestOutputHelper output) : IClassFixture<BrowserSession>
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task Sending_shows_the_ticks_up_to_delivered_the_auto_reply_live_and_after_a_reload_the_same_history()
    {
        var user = NewUser();
        await using var server = new ServerHolder(user);
        await server.StartAsync();

        // CONSOLE_SCREENSHOT=$PWD/docs/console.png dotnet test ... renews the README's picture.
        var screenshot = Environment.GetEnvironmentVariable("CONSOLE_SCREENSHOT") is { Length: > 0 } path
            ? Path.GetFullPath(path)
            : Path.Combine(AppContext.BaseDirectory, "console-artifacts", "console.png");
        await RunScenarioAsync("send", server, user, screenshot);

        // The console acked what it showed: the server counts nothing unread in the open conversation (the ack is a
        // frame of its own, which may still be on its way when the page already shows the reply).
        await Eventually.TrueAsync(
            async () =>
            {
                var conversations = JsonNode.Parse(await server.Http.GetStringAsync($"/api/users/{user}/conversations"))!.AsArray();
                var open = conversations.Single(c => (string?)c!["clientNumber"] == "+15550001111")!;
                return (int)open["unreadCount"]! == 0;
            },
            because: "the console acks what it shows");
        Assert.Equal(4, JsonNode.Parse(await server.Http.GetStringAsync($"/api/users/{user}/messages?since=0"))!.AsArray()
            .Count(e => (string?)e!["type"] is "outbound" or "message" && ((string?)e["to"] == "+15550001111" || (string?)e["from"] == "+15550001111")));
    }

    [Fact]
    public async Task An_inbound_sms_appears_live_on_a_phone_sized_screen()
    {
        var user = NewUser();
        await using var server = new ServerHolder(user);
        await server.StartAsync();

        await RunScenarioAsync("inbound", server, user);
    }

    [Fact]
    public async Task A_bad_number_or_body_shows_a_clear_error_and_sends_nothing()
    {
        var user = NewUser();
        await using var server = new ServerHolder(user);
        await server.StartAsync();

        await RunScenarioAsync("bad-input", server, user);

        Assert.Empty(JsonNode.Parse(await server.Http.GetStringAsync($"/api/users/{user}/messages?since=0"))!.AsArray());
    }

    [Fact]
    public async Task A_token_is_sent_as_bearer_and_access_token_and_a_1008_close_returns_to_sign_in()
    {
        var user = NewUser();
        await using var server = new ServerHolder(user);
        await server.StartAsync();

        await RunScenarioAsync("auth", server, user);
    }

    /// <summary>
    /// The server process is killed (sockets drop without a close) and started again on the same port.
    /// Until the journal is persistent it has forgotten the history: the console must notice that
    /// (welcome.lastSeq behind what it showed), start over, and still show each message once.
    /// </summary>
    [Fact]
    public async Task After_the_server_is_killed_and_restarted_the_console_reconnects_by_itself_and_shows_each_message_once()
    {
        var user = NewUser();
        await using var server = new ServerHolder(user, separateProcess: true);
        await server.StartAsync();

        await RunScenarioAsync("restart", server, user);

        var events = JsonNode.Parse(await server.Http.GetStringAsync($"/api/users/{user}/messages?since=0"))!.AsArray();
        Assert.Single(events, e => (string?)e!["type"] == "outbound" && (string?)e["body"] == "sent while offline");
        Assert.Single(events, e => (string?)e!["type"] == "outbound" && (string?)e["body"] == "after the restart");
    }

    private async Task RunScenarioAsync(string scenario, ServerHolder server, string user, string? screenshot = null)
    {
        if (BrowserScript.MissingPrerequisite() is { } missing)
        {
            Assert.Fail(missing);
        }

        var run = new JsonObject
        {
            ["scenario"] = scenario,
            ["url"] = server.BaseAddress.GetLeftPart(UriPartial.Authority),
            ["user"] = user,
            ["token"] = ServerHolder.TokenFor(user),
            ["artifacts"] = Path.Combine(AppContext.BaseDirectory, "console-artifacts"),
            ["screenshot"] = screenshot,
        };
        var result = await browser.RunAsync(run, server.AnswerAsync, ScriptTimeout);
        output.WriteLine(result.Output);
        output.WriteLine($"[test] {scenario}: {(result.ExitCode == 0 ? "passed" : "failed")} after {result.Elapsed.TotalSeconds:0.0} s");
        Assert.True(result.ExitCode == 0, $"browser scenario '{scenario}' failed:\n{result.Output}");
    }

    private static string NewUser() => $"desk-{Guid.NewGuid():N}"[..20];

    /// <summary>
    /// The server under test: in this process (so a test can reach its <see cref="ISmsIngress"/>), or as a
    /// separate process that a scenario can kill hard and start again on the same port.
    /// </summary>
    private sealed class ServerHolder(string user, bool separateProcess = false) : IAsyncDisposable
    {
        private RunningServer? _server;
        private ServerProcess? _process;
        private HttpClient? _http;
        private int _port;
        private int _inbound;

        public Uri BaseAddress { get; private set; } = null!;

        /// <summary>Calls as the console's user.</summary>
        public HttpClient Http => _http ??= new HttpClient
        {
            BaseAddress = BaseAddress,
            Timeout = TimeSpan.FromSeconds(30),
            DefaultRequestHeaders = { Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", TokenFor(user)) },
        };

        /// <summary>A token signed with the key every test server uses (in process or not).</summary>
        public static string TokenFor(string userId) => TestTokens.For(userId);

        /// <summary>The separate process keeps its journal here across a kill and a restart.</summary>
        private readonly string _dataFolder = TestFolders.Create("console");

        public async Task StartAsync()
        {
            if (separateProcess)
            {
                _process = await ServerProcess.StartAsync(
                    new Dictionary<string, string>
                    {
                        ["Sms__Loopback__AutoReply"] = "true",
                        ["Routing__FallbackUser"] = user,
                        ["Persistence__SqlitePath"] = Path.Combine(_dataFolder, "messaging.db"),
                    },
                    TimeSpan.FromSeconds(60),
                    _port);
                BaseAddress = _process.BaseAddress;
            }
            else
            {
                _server = await RunningServer.StartAsync(new Dictionary<string, string?>
                {
                    ["Sms:Loopback:AutoReply"] = "true",
                    ["Routing:FallbackUser"] = user,
                });
                BaseAddress = _server.BaseAddress;
            }

            _port = BaseAddress.Port;
        }

        /// <summary>Kills the separate process (no close handshake: sockets just drop), or stops the in-process host.</summary>
        public async Task StopAsync()
        {
            if (_process is { } process)
            {
                _process = null;
                process.KillHard();
                await process.DisposeAsync();
            }

            if (_server is { } server)
            {
                _server = null;
                await server.DisposeAsync();
            }
        }

        public async Task<JsonNode?> AnswerAsync(JsonObject request)
        {
            switch ((string?)request["action"])
            {
                case "inbound":
                    var server = _server ?? throw new InvalidOperationException("inbound SMS need the in-process server");
                    var ingress = server.Services.GetRequiredService<ISmsIngress>();
                    var media = request["media"]?.AsArray().Select(m => (string)m!).ToArray() ?? [];
                    var sms = new InboundSms((string)request["from"]!, "+15550000000", (string)request["body"]!, media, $"SMconsole{Interlocked.Increment(ref _inbound)}");
                    var stored = await ingress.ReceiveAsync(sms, CancellationToken.None);
                    Assert.Equal(IngressResult.Stored, stored);
                    return JsonValue.Create(stored.ToString());
                case "stop":
                    await StopAsync();
                    return null;
                case "start":
                    await StartAsync();
                    return JsonValue.Create(BaseAddress.ToString());
                default:
                    throw new InvalidOperationException($"unknown action {request["action"]}");
            }
        }

        public async ValueTask DisposeAsync()
        {
            _http?.Dispose();
            await StopAsync();
        }
    }
}
