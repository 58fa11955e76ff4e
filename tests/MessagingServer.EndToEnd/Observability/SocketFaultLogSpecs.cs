using System.Text;
using MessagingServer.EndToEnd.Infrastructure;
using Serilog.Core;
using Serilog.Events;

namespace MessagingServer.EndToEnd.Observability;

/// <summary>
/// A client that vanishes (its network lost: no close frame) or breaks the protocol (invalid UTF-8, an unknown
/// opcode) is not a server error: its socket ends with one Information line, no stack trace, no 500, and no
/// <c>error_type</c> on the request metric.
/// </summary>
[Collection(ProcessWideMetricsCollection.Name)]
public sealed class SocketFaultLogSpecs : IAsyncLifetime
{
    private readonly LogCapture _logs = new();
    private RunningServer _server = null!;

    public async Task InitializeAsync() => _server = await RunningServer.StartAsync(
        configure: builder => builder.Services.AddSingleton<ILogEventSink>(_logs));

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("dropped", "connection lost")]
    [InlineData("invalid-utf8", "")]
    [InlineData("unknown-opcode", "unknown opcode")]
    public async Task A_socket_that_ends_badly_is_one_information_line_without_stack_or_500(string fault, string because)
    {
        var user = $"fault-{fault}";
        var raw = await RawWebSocket.ConnectAsync(
            _server.BaseAddress, $"/message/{user}", new Dictionary<string, string> { ["Authorization"] = $"Bearer {_server.TokenFor(user)}" });
        await using (raw)
        {
            var (opcode, welcome) = await raw.ReceiveFrameAsync();
            Assert.Equal(1, opcode);
            Assert.Contains("\"welcome\"", Encoding.UTF8.GetString(welcome), StringComparison.Ordinal);

            switch (fault)
            {
                case "dropped":
                    await raw.SendFrameAsync(1, Encoding.UTF8.GetBytes("{\"type\":\"send\",\"to\":\"+1555000"), fin: false);
                    raw.Drop();
                    break;
                case "invalid-utf8":
                    await raw.SendFrameAsync(1, [0x7B, 0xC3, 0x28, 0xFF, 0x7D]);
                    break;
                default:
                    await raw.SendFrameAsync(3, [1, 2, 3]);
                    break;
            }

            // The request's own line is written when its handler has ended.
            await Eventually.TrueAsync(() => RequestLines(user).Any(), TimeSpan.FromSeconds(30), $"no request line for {user}'s socket");
        }

        var lines = _logs.Events.Where(e => LogCapture.Everything(e).Contains(user, StringComparison.Ordinal)).ToList();
        var notable = lines.Where(e => e.Level >= LogEventLevel.Information).ToList();
        var line = Assert.Single(notable);
        Assert.Equal(LogEventLevel.Information, line.Level);
        Assert.Equal("101", line.Properties["StatusCode"].ToString());
        Assert.True(line.Properties.TryGetValue("SocketEnd", out var end), "the line says how the socket ended");
        Assert.Contains(because, end.ToString(), StringComparison.Ordinal);
        Assert.All(lines, e => Assert.Null(e.Exception));
        Assert.DoesNotContain(_logs.Events, e => e.Level >= LogEventLevel.Error);

        var scrape = await _server.Http.GetStringAsync("/metrics");
        Assert.DoesNotContain(
            scrape.Split('\n'),
            l => l.StartsWith("http_server_request_duration_seconds", StringComparison.Ordinal)
                && l.Contains("/message/{userId}", StringComparison.Ordinal) && l.Contains("error_type", StringComparison.Ordinal));
    }

    /// <summary>
    /// RFC 6455 (8.1) makes a text frame that is not UTF-8 fail the connection, and .NET's WebSocket does so itself
    /// with 1007 before the server sees the frame; docs/protocol.md says so. Bad JSON in valid UTF-8 is an
    /// <c>invalid_json</c> error and the socket stays open.
    /// </summary>
    [Fact]
    public async Task Invalid_utf8_closes_with_1007_while_bad_json_is_an_error_frame_on_an_open_socket()
    {
        const string User = "fault-1007";
        await using var raw = await RawWebSocket.ConnectAsync(
            _server.BaseAddress, $"/message/{User}", new Dictionary<string, string> { ["Authorization"] = $"Bearer {_server.TokenFor(User)}" });
        Assert.Equal(1, (await raw.ReceiveFrameAsync()).Opcode);

        await raw.SendFrameAsync(1, Encoding.UTF8.GetBytes("{\"type\":"));
        var (errorOpcode, error) = await raw.ReceiveFrameAsync();
        await raw.SendFrameAsync(1, Encoding.UTF8.GetBytes("{\"type\":\"ping\"}"));
        var (pongOpcode, pong) = await raw.ReceiveFrameAsync();
        await raw.SendFrameAsync(1, [0x7B, 0xC3, 0x28, 0xFF, 0x7D]);

        // .NET sends its 1007 close and drops the connection at once; the client's kernel may see the reset before
        // it hands over the close frame. Either way the socket is ended, never left open or answered as a frame.
        int? closeCode = null;
        try
        {
            var (closeOpcode, close) = await raw.ReceiveFrameAsync();
            Assert.Equal(8, closeOpcode);
            closeCode = (close[0] << 8) | close[1];
        }
        catch (IOException)
        {
        }

        Assert.Equal((1, 1), (errorOpcode, pongOpcode));
        Assert.Contains("\"invalid_json\"", Encoding.UTF8.GetString(error), StringComparison.Ordinal);
        Assert.Contains("\"pong\"", Encoding.UTF8.GetString(pong), StringComparison.Ordinal);
        Assert.True(closeCode is null or 1007, $"closed with {closeCode}");
    }

    private IEnumerable<LogEvent> RequestLines(string user) => _logs.Events.Where(e =>
        e.Properties.TryGetValue("RequestPath", out var path) && path.ToString().Contains($"/message/{user}", StringComparison.Ordinal)
        && e.Properties.ContainsKey("StatusCode"));
}
