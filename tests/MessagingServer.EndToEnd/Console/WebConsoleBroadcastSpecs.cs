using System.Text.Json.Nodes;
using MessagingServer.EndToEnd.Infrastructure;
using MessagingServer.Sms;
using Xunit.Abstractions;

namespace MessagingServer.EndToEnd.WebConsole;

/// <summary>
/// The console's broadcasts, thread scroll-back and media sends in a real browser (tests/browser/scenarios/broadcasts.mjs, threads.mjs),
/// all against one server with the loopback provider answering every SMS; each test is its own user.
/// </summary>
[Collection(ConsoleBroadcastCollection.Name)]
public sealed class WebConsoleBroadcastSpecs(WebConsoleBroadcastSpecs.LoopbackServer server, BrowserSession browser, ITestOutputHelper output)
    : IClassFixture<WebConsoleBroadcastSpecs.LoopbackServer>
{
    /// <summary>The number the scroll-back user owns: the history is written to it through the server's SMS ingress.</summary>
    private const string ScrollNumber = "+15559990000";
    private const string ScrollUser = "desk-scrollback";

    [Fact]
    public async Task Broadcasts_from_pasted_numbers_and_a_csv_file_reach_100_percent_and_stay_listed_after_a_reload()
    {
        var user = ConsoleScenarioRunner.NewUser("desk-bc");

        await ConsoleScenarioRunner.RunAsync(browser, output, server.Server.BaseAddress, "broadcast", user);

        // The retry and the double click started one broadcast: each recipient got exactly one SMS.
        var outbound = (await EventsOf(user)).Where(e => (string?)e!["type"] == "outbound").Select(e => (string)e!["to"]!).ToList();
        Assert.Equal(["+15557000001", "+15557000002", "+15557000003", "+15557000011", "+15557000012"], outbound.Order());
    }

    [Fact]
    public async Task Bad_numbers_a_bad_or_empty_csv_and_more_than_10000_rows_get_a_clear_message_and_nothing_is_sent()
    {
        var user = ConsoleScenarioRunner.NewUser("desk-bad");

        await ConsoleScenarioRunner.RunAsync(browser, output, server.Server.BaseAddress, "broadcast-bad-lists", user);

        Assert.Empty(await EventsOf(user));
    }

    [Fact]
    public async Task A_media_url_attached_in_the_console_shows_the_image_outbound_and_in_the_loopback_echo()
    {
        var user = ConsoleScenarioRunner.NewUser("desk-mms");

        await ConsoleScenarioRunner.RunAsync(browser, output, server.Server.BaseAddress, "media-send", user);

        var sent = Assert.Single(await EventsOf(user), e => (string?)e!["type"] == "outbound")!;
        Assert.Equal("https://media.test/flyer.png", (string?)sent["media"]![0]);
    }

    [Fact]
    public async Task A_thread_longer_than_the_first_window_scrolls_back_page_by_page_showing_every_message_once_in_order()
    {
        // 130 messages from the client, then 450 from another one: the console's first window (the newest 500 events)
        // holds only the newest 50 of the thread, so the rest must come from the conversation's own pages.
        const string client = "+15557300001";
        const int count = 130;
        var ingress = server.Server.Services.GetRequiredService<ISmsIngress>();
        for (var i = 1; i <= count; i++)
        {
            Assert.Equal(IngressResult.Stored, await ingress.ReceiveAsync(
                new InboundSms(client, ScrollNumber, $"Scroll-back {i:000}", [], $"SMscroll{i}"), CancellationToken.None));
        }

        for (var batch = 0; batch < 450; batch += 10)
        {
            await Task.WhenAll(Enumerable.Range(batch, 10).Select(async i => Assert.Equal(IngressResult.Stored, await ingress.ReceiveAsync(
                new InboundSms("+15557300002", ScrollNumber, $"Busy {i}", [], $"SMbusy{i}"), CancellationToken.None))));
        }

        await ConsoleScenarioRunner.RunAsync(browser, output, server.Server.BaseAddress, "scroll-back", ScrollUser,
            new JsonObject { ["number"] = client, ["count"] = count, ["prefix"] = "Scroll-back" });
    }

    private async Task<List<JsonNode?>> EventsOf(string user) =>
        [.. JsonNode.Parse(await server.Server.HttpFor(user).GetStringAsync($"/api/users/{user}/messages?since=0&limit=1000"))!.AsArray()];

    /// <summary>One server for the class: loopback provider with auto-replies, the scroll-back user owning its number.</summary>
    public sealed class LoopbackServer : IAsyncLifetime
    {
        public RunningServer Server { get; private set; } = null!;

        public async Task InitializeAsync() => Server = await RunningServer.StartAsync(new Dictionary<string, string?>
        {
            ["Sms:Loopback:AutoReply"] = "true",
            [$"Routing:Numbers:{ScrollNumber}"] = ScrollUser,
        });

        public async Task DisposeAsync() => await Server.DisposeAsync();
    }
}
