using System.Net.Http.Json;
using System.Text.Json;
using MessagingServer.Bench.Clients;
using MessagingServer.Bench.Processes;
using MessagingServer.TestSupport;

namespace MessagingServer.Bench.Scenarios;

/// <summary>
/// Scenario 2: <c>send</c> → the provider (bench/FakeTwilio, a separate process) → its signed status
/// callbacks → <c>delivered</c> on the socket; against a plain HttpClient relay making the same calls
/// with no actors or storage.
/// </summary>
public sealed class RelayScenario : IScenario
{
    public const double TargetRatio = 0.8;

    public string Name => Cli.ScenarioNames.Relay;

    public string Title => "Relay: send → fake Twilio → signed status callbacks → delivered on the socket, vs a plain HttpClient relay";

    public async Task<ScenarioResult> RunAsync(ScenarioContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        await using var fake = await context.StartFakeTwilioAsync();
        var serverPort = FreePort.Next();
        var serverSettings = context.TwilioSettings(new Uri($"http://127.0.0.1:{serverPort}/"), fake);
        await using var server = await context.StartServerAsync("relay-server", serverSettings, serverPort);
        var (present, detail) = await ServerProbe.TwilioWebhookAsync(context, server);
        if (!present)
        {
            context.Log($"relay: skipped: {detail}");
            return ScenarioResult.Skipped(Name, Title, detail);
        }

        var baselinePort = FreePort.Next();
        await using var baseline = await context.StartBaselineAsync(
            "relay-baseline", context.TwilioSettings(new Uri($"http://127.0.0.1:{baselinePort}/"), fake), baselinePort);
        var storage = await ServerProbe.StorageAsync(context, server);
        var connections = context.Size.RelayConnections;
        var (table, rounds) = await RoundTripScenario.CompareAsync(
            context, $"relay, {connections} connection(s)", connections, server, baseline, "server", "plain relay",
            i => RelayRoundTrip.ConnectAsync(context.UserSocket(server, ScenarioContext.UserId("rl-", i)), ScenarioContext.ClientNumber(i), "c", context.Cancel),
            i => RelayRoundTrip.ConnectAsync(baseline.Ws($"/relay/{ScenarioContext.UserId("rl-", i)}"), ScenarioContext.ClientNumber(i), "c", context.Cancel));
        var stats = await FakeStatsAsync(context, fake);
        var notes = new List<string> { $"fake Twilio after the run: {stats}" };
        if (rounds.All(r => r.A.Operations == 0))
        {
            notes.Add("the server relayed nothing: check that it called the fake Twilio (its log) rather than the loopback provider");
        }

        return new ScenarioResult(
            Name, Title,
            $"server: {storage}, Twilio settings pointing at bench/FakeTwilio (callbacks `sent`, `delivered`), rate limits lifted. " +
            "Baseline: `/relay/{user}` of bench/BaselineServers: `outbound` at once, the same REST call over HttpClient, the same signed callbacks " +
            "checked and forwarded. The fake serves both sides. Latency is send → `delivered`.",
            [table],
            [TargetCheck.AtLeast($"relays/s, {connections} conns, server / plain relay", AbTable.ThroughputRatio(rounds), TargetRatio, "0.00", "×")],
            notes);
    }

    private static async Task<string> FakeStatsAsync(ScenarioContext context, BenchProcess fake)
    {
        try
        {
            var stats = await context.Http.GetFromJsonAsync<JsonElement>(fake.Http("stats"), context.Cancel);
            return stats.GetRawText();
        }
        catch (Exception e) when (e is HttpRequestException or JsonException)
        {
            return "unavailable (" + e.Message + ")";
        }
    }
}
