using MessagingServer.EndToEnd.Infrastructure;
using MessagingServer.TestSupport.Twilio;
using Xunit.Abstractions;

namespace MessagingServer.EndToEnd.WebConsole;

/// <summary>
/// Cancelling a broadcast from the console while it runs. The loopback provider is not paced (a broadcast ends at
/// once), so this server sends through the fake Twilio at 2 SMS per second: a 40-recipient broadcast takes 20 s
/// unless it is cancelled.
/// </summary>
[Collection(ConsoleBroadcastCollection.Name)]
public sealed class WebConsoleBroadcastCancelSpecs(WebConsoleBroadcastCancelSpecs.PacedServer server, BrowserSession browser, ITestOutputHelper output)
    : IClassFixture<WebConsoleBroadcastCancelSpecs.PacedServer>
{
    private const int Recipients = 40;

    [Fact]
    public async Task Cancel_stops_a_running_broadcast_and_its_bar_ends_at_100_percent_cancelled()
    {
        var user = ConsoleScenarioRunner.NewUser("desk-cxl");

        await ConsoleScenarioRunner.RunAsync(browser, output, server.Server.BaseAddress, "broadcast-cancel", user,
            new System.Text.Json.Nodes.JsonObject { ["count"] = Recipients });

        Assert.True(server.Twilio.Requests.Count(r => r.Form.GetValueOrDefault("Body") == "Cancel me") < Recipients, "the cancelled recipients were never texted");
    }

    public sealed class PacedServer : IAsyncLifetime
    {
        public FakeTwilio Twilio { get; private set; } = null!;

        public RunningServer Server { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Twilio = await FakeTwilio.StartAsync();
            var settings = Twilio.ServerSettings();
            settings["Twilio:MessagesPerSecond"] = "2";
            Server = await RunningServer.StartAsync(settings);
        }

        public async Task DisposeAsync()
        {
            await Server.DisposeAsync();
            await Twilio.DisposeAsync();
        }
    }
}
