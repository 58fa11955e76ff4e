using System.Diagnostics;
using MessagingServer.Bench.Clients;
using MessagingServer.Bench.Processes;
using MessagingServer.Bench.Runs;
using MessagingServer.TestSupport;
using Microsoft.AspNetCore.SignalR.Client;

namespace MessagingServer.Bench.Scenarios;

/// <summary>
/// Scenario 7: the round trip and the fan-in of scenarios 1 and 3, against a SignalR hub (bench/BaselineServers)
/// that does the same job without storage.
/// </summary>
public sealed class SignalRScenario : IScenario
{
    public const double TargetRoundTripRatio = 1.0;
    public const double TargetDurableRoundTripRatio = 1.0;

    public string Name => Cli.ScenarioNames.SignalR;

    public string Title => "SignalR: the same round trip and fan-in against a SignalR hub without storage";

    public async Task<ScenarioResult> RunAsync(ScenarioContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var users = context.Size.FanInUsers;
        var connections = context.Size.SignalRConnections;
        var baselinePort = FreePort.Next();
        var baselineSettings = context.TwilioSettings(new Uri($"http://127.0.0.1:{baselinePort}/"), null);
        foreach (var (key, value) in ScenarioContext.OwnedNumbers("sf-", users))
        {
            baselineSettings[key] = value;
        }

        await using var baseline = await context.StartBaselineAsync("signalr-baseline", baselineSettings, baselinePort);
        var tables = new List<ResultTable>();
        var checks = new List<TargetCheck>();
        var notes = new List<string>();
        string storage;

        // Part 1: round trip, the server as in scenario 1 (loopback provider).
        await using (var server = await context.StartServerAsync("signalr-round-trip-server"))
        {
            storage = await ServerProbe.StorageAsync(context, server);
            var (table, rounds) = await RoundTripScenario.CompareAsync(
                context, $"signalr round trip, {connections} connection(s)", connections, server, baseline, "server", "SignalR",
                i => SocketRoundTrip.ConnectAsync(context.UserSocket(server, ScenarioContext.UserId("sr-", i)), "outbound", ScenarioContext.ClientNumber(i), "c", context.Cancel),
                i => SignalRRoundTrip.ConnectAsync(baseline.Http($"hub?user={ScenarioContext.UserId("sr-", i)}"), ScenarioContext.ClientNumber(i), "c", context.Cancel));
            tables.Add(table);
            checks.Add(TargetCheck.AtLeast($"round trips/s, {connections} conns, server / SignalR", AbTable.ThroughputRatio(rounds), TargetRoundTripRatio, "0.00", "×"));

            // The same hub storing a round trip's rows (group commit on SQLite) before it answers: what a .NET team would build.
            var (durableTable, durableRounds) = await RoundTripScenario.CompareAsync(
                context, $"durable signalr round trip, {connections} connection(s)", connections, server, baseline, "server", "durable SignalR",
                i => SocketRoundTrip.ConnectAsync(context.UserSocket(server, ScenarioContext.UserId("sd-", i)), "outbound", ScenarioContext.ClientNumber(i), "c", context.Cancel),
                i => SignalRRoundTrip.ConnectAsync(baseline.Http($"hub?user={ScenarioContext.UserId("sd-", i)}"), ScenarioContext.ClientNumber(i), "c", context.Cancel, "SendDurable"));
            tables.Add(durableTable);
            checks.Add(TargetCheck.AtLeast(
                $"round trips/s, {connections} conns, server / durable SignalR", AbTable.ThroughputRatio(durableRounds), TargetDurableRoundTripRatio, "0.00", "×"));
        }

        // Part 2: fan-in, the server as in scenario 3 (Twilio webhook), if this build has it.
        var serverPort = FreePort.Next();
        var serverSettings = context.TwilioSettings(new Uri($"http://127.0.0.1:{serverPort}/"), null);
        foreach (var (key, value) in ScenarioContext.OwnedNumbers("sf-", users))
        {
            serverSettings[key] = value;
        }

        await using (var server = await context.StartServerAsync("signalr-fan-in-server", serverSettings, serverPort))
        {
            var (present, detail) = await ServerProbe.TwilioWebhookAsync(context, server);
            if (!present)
            {
                context.Log($"signalr: fan-in part skipped: {detail}");
                notes.Add("fan-in part skipped: " + detail);
                checks.Add(TargetCheck.NotMeasured($"inbound messages/s, {users} users, server / SignalR", "(no target; shown for comparison)", "skipped"));
            }
            else
            {
                tables.Add(await FanInAsync(context, server, baseline, users));
            }
        }

        return new ScenarioResult(
            Name, Title,
            $"server: {storage}. Hub: `/hub` of bench/BaselineServers over WebSockets (negotiation skipped), JSON protocol; " +
            "`Send` answers the caller with an `outbound` event; `SendDurable` (the durable SignalR baseline) first stores a round trip's four rows " +
            "through the durable echo's group-commit SQLite writer; a signed `POST /hub/sms` sends a `message` event to the user's group. " +
            "Round trip as in `round-trip` (loopback provider); fan-in as in `fan-in`.",
            tables, checks, notes);
    }

    private static async Task<ResultTable> FanInAsync(ScenarioContext context, BenchProcess server, BenchProcess baseline, int users)
    {
        var routerA = new FanInRouter();
        var routerB = new FanInRouter();
        var welcomes = 0;
        context.Log($"signalr fan-in: connecting {users} users to the server and to the hub");
        var sockets = await Runners.ConnectManyAsync(context, "server", users, 64, i => BenchSocket.ConnectAsync(
            context.UserSocket(server, ScenarioContext.UserId("sf-", i)),
            (frame, at) =>
            {
                if (frame.Type == "welcome")
                {
                    Interlocked.Increment(ref welcomes);
                }

                routerA.OnFrame(frame, at);
            },
            context.Cancel));
        var hubs = await Runners.ConnectManyAsync(context, "SignalR", users, 64, async i =>
        {
            var connection = SignalRRoundTrip.Connection(baseline.Http($"hub?user={ScenarioContext.UserId("sf-", i)}"));
            connection.On<MessageEvent>("message", e => routerB.Current?.OnMessage(e.Body, Stopwatch.GetTimestamp()));
            await SignalRRoundTrip.StartAsync(connection, context.Cancel);
            return new HubClient(connection);
        });
        try
        {
            await BoundedLoop.WaitUntilAsync(() => Volatile.Read(ref welcomes) >= users, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(50), context.Cancel);
            await Task.Delay(context.Size.SettleTime, context.Cancel);
            var rounds = await FanInScenario.CompareAsync(
                context, "signalr fan-in", users, server, baseline, "server", "SignalR", routerA, routerB, server.Http("twilio/sms"), baseline.Http("hub/sms"));
            return AbTable.Build($"fan-in, {users} users: server (A) vs SignalR hub (B)", rounds, "server", "SignalR", "msgs", FanInRunner.ExtraColumns);
        }
        finally
        {
            await Runners.DisposeAllAsync(sockets);
            await Runners.DisposeAllAsync(hubs);
        }
    }

    private sealed class HubClient(HubConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await connection.StopAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
            }

            await connection.DisposeAsync();
        }
    }
}
