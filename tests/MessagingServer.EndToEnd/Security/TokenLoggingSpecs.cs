using System.Net.Http.Headers;
using MessagingServer.EndToEnd.Infrastructure;
using Serilog.Core;

namespace MessagingServer.EndToEnd.Security;

public sealed class TokenLoggingSpecs
{
    [Fact]
    public async Task No_token_is_ever_written_to_the_logs_even_at_verbose_level()
    {
        var logs = new LogCapture();
        var server = await RunningServer.StartAsync(
            new Dictionary<string, string?>
            {
                ["Serilog:MinimumLevel:Default"] = "Verbose",
                ["Serilog:MinimumLevel:Override:Microsoft.AspNetCore"] = "Verbose",
                ["Serilog:MinimumLevel:Override:Microsoft.AspNetCore.Hosting.Diagnostics"] = "Verbose",
                ["Serilog:MinimumLevel:Override:Microsoft.IdentityModel"] = "Verbose",
            },
            configure: builder => builder.Services.AddSingleton<ILogEventSink>(logs),
            map: SecuredTestEndpoints.Map);
        var valid = server.TokenFor("alice");
        var others = server.TokenFor("bob");
        var expired = TestTokens.Bad("expired")!;
        var foreign = TestTokens.Bad("other_key")!;
        var secrets = new[] { valid, others, expired, foreign };

        await using (var socket = await SocketClient.ConnectAsync(server.WebSocketUri($"/message/alice/probe?access_token={valid}")))
        {
            await socket.SendTextAsync("hello");
            Assert.Equal("alice: hello", await socket.ReceiveTextAsync());
        }

        foreach (var token in new[] { others, expired, foreign })
        {
            await Handshake.RefusedStatusAsync(server.WebSocketUri($"/message/alice/probe?access_token={token}"));
            using var viaQuery = await server.Http.GetAsync($"/api/users/alice/probe?access_token={token}&x=1");
            using var encodedName = await server.Http.GetAsync($"/api/users/alice/probe?access%5Ftoken={token}");
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/users/alice/probe");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var viaHeader = await server.Http.SendAsync(request);
        }

        using (var accepted = await server.Http.GetAsync($"/api/users/alice/probe?access_token={valid}"))
        {
            Assert.True(accepted.IsSuccessStatusCode);
        }

        await server.DisposeAsync(); // every request's last log line is written by now

        var events = logs.Events.ToArray();
        foreach (var e in events)
        {
            var text = LogCapture.Everything(e);
            foreach (var secret in secrets)
            {
                var signature = secret[(secret.LastIndexOf('.') + 1)..];
                Assert.False(text.Contains(signature, StringComparison.Ordinal), $"a token leaked into the log: {e.MessageTemplate.Text}");
            }
        }

        // The server's request log names the path without its query.
        Assert.Contains(events, e => e.MessageTemplate.Text.StartsWith("HTTP {RequestMethod} {RequestPath}", StringComparison.Ordinal)
            && e.Properties["RequestPath"].ToString() == "\"/api/users/alice/probe\"");
        Assert.DoesNotContain(events, e => e.Properties.TryGetValue("RequestPath", out var path) && path.ToString().Contains('?', StringComparison.Ordinal));

        // The capture saw ASP.NET Core's own request logs, which carry the query string, with the token blanked.
        Assert.Contains(events, e => e.Properties.ContainsKey("QueryString"));
        Assert.Contains(events, e => LogCapture.Everything(e).Contains("access_token=[redacted]", StringComparison.Ordinal));
    }
}
