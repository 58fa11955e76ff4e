using MessagingServer.Bench.Clients;
using MessagingServer.Bench.Processes;
using MessagingServer.Bench.Runs;
using MessagingServer.TestSupport;

namespace MessagingServer.Bench.Scenarios;

/// <summary>
/// Scenario 3: signed inbound-SMS webhooks (<c>POST /twilio/sms</c>) for many connected users, each ending
/// as a <c>message</c> frame on its user's socket; against a bare POST endpoint doing the same without
/// actors or storage. Throughput, POST → frame latency, lost and duplicated messages.
/// </summary>
public sealed class FanInScenario : IScenario
{
    public const double TargetRatio = 0.5;

    public string Name => Cli.ScenarioNames.FanIn;

    public string Title => "Fan-in: signed inbound webhooks → message frames on connected users' sockets, vs a bare POST endpoint";

    public async Task<ScenarioResult> RunAsync(ScenarioContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var users = context.Size.FanInUsers;
        var serverPort = FreePort.Next();
        var settings = context.TwilioSettings(new Uri($"http://127.0.0.1:{serverPort}/"), null);
        foreach (var (key, value) in ScenarioContext.OwnedNumbers("fi-", users))
        {
            settings[key] = value;
        }

        await using var server = await context.StartServerAsync("fan-in-server", settings, serverPort);
        var (present, detail) = await ServerProbe.TwilioWebhookAsync(context, server);
        if (!present)
        {
            context.Log($"fan-in: skipped: {detail}");
            return ScenarioResult.Skipped(Name, Title, detail);
        }

        var baselinePort = FreePort.Next();
        var baselineSettings = context.TwilioSettings(new Uri($"http://127.0.0.1:{baselinePort}/"), null);
        foreach (var (key, value) in ScenarioContext.OwnedNumbers("fi-", users))
        {
            baselineSettings[key] = value;
        }

        await using var baseline = await context.StartBaselineAsync("fan-in-baseline", baselineSettings, baselinePort);
        var storage = await ServerProbe.StorageAsync(context, server);
        var routerA = new FanInRouter();
        var routerB = new FanInRouter();
        var welcomes = 0;
        context.Log($"fan-in: connecting {users} users to the server and to the bare endpoint");
        var socketsA = await Runners.ConnectManyAsync(context, "server", users, 64, i => BenchSocket.ConnectAsync(
            context.UserSocket(server, ScenarioContext.UserId("fi-", i)),
            (frame, at) =>
            {
                if (frame.Type == "welcome")
                {
                    Interlocked.Increment(ref welcomes);
                }

                routerA.OnFrame(frame, at);
            },
            context.Cancel));
        var socketsB = await Runners.ConnectManyAsync(context, "bare", users, 64, i => BenchSocket.ConnectAsync(
            baseline.Ws($"/bare/inbox/{ScenarioContext.UserId("fi-", i)}"), routerB.OnFrame, context.Cancel));
        try
        {
            await BoundedLoop.WaitUntilAsync(() => Volatile.Read(ref welcomes) >= users, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(50), context.Cancel);
            await Task.Delay(context.Size.SettleTime, context.Cancel);
            var rounds = await CompareAsync(
                context, "fan-in", users, server, baseline, "server", "bare POST", routerA, routerB, server.Http("twilio/sms"), baseline.Http("bare/sms"));
            var paced = await FanInPaced.RunAsync(context, rounds, server, baseline, routerA, routerB, server.Http("twilio/sms"), baseline.Http("bare/sms"), users);
            var checks = new List<TargetCheck>();
            FanInRunner.AddChecks(checks, rounds, "bare POST", TargetRatio, users);
            checks.AddRange(FanInPaced.Checks(paced, users));
            var tables = new List<ResultTable> { AbTable.Build($"fan-in, {users} users, saturation: server (A) vs bare POST (B)", rounds, "server", "bare POST", "msgs", FanInRunner.ExtraColumns) };
            if (paced is not null)
            {
                tables.Add(FanInPaced.Table(paced, users, "server", "bare POST"));
            }

            return new ScenarioResult(
                Name, Title,
                $"server: {storage}, Twilio settings (signature checked), users own their numbers (`Routing:Numbers`). " +
                $"{users} users connected, {context.Size.FanInPosters} posters, up to {context.Size.FanInMessages:N0} webhooks per run. " +
                "Baseline: `POST /bare/sms` of bench/BaselineServers checks the same signature and writes the same frame to the user's socket. " +
                "Latency is POST sent → frame received; lost = answered 200 but never seen. " +
                "The A/B rounds post in a closed loop (saturation: their p99 is mostly queueing, shown, not a target); then one paced run per side " +
                $"posts {context.Size.FanInPacedMessages:N0} webhooks on a schedule at half the server's median saturation rate, whose p99 is the target.",
                tables,
                checks, [$"users welcomed by the server before posting: {Volatile.Read(ref welcomes)}/{users}"]);
        }
        finally
        {
            await Runners.DisposeAllAsync(socketsA);
            await Runners.DisposeAllAsync(socketsB);
        }
    }

    internal static async Task<IReadOnlyList<(RunResult A, RunResult B)>> CompareAsync(
        ScenarioContext context, string label, int users, BenchProcess processA, BenchProcess processB, string nameA, string nameB,
        FanInRouter routerA, FanInRouter routerB, Uri webhookA, Uri webhookB, IReadOnlyList<int>? numbersA = null, IReadOnlyList<int>? numbersB = null)
    {
        var size = context.Size;
        var maxTime = TimeSpan.FromSeconds(size.FanInSeconds);
        var warmMessages = Math.Max(10, size.FanInMessages / 10);
        var warmA = await FanInRunner.RunAsync(context, Side.A, -1, routerA, processA, webhookA, users, size.FanInPosters, warmMessages, maxTime, numbersA);
        var warmB = await FanInRunner.RunAsync(context, Side.B, -1, routerB, processB, webhookB, users, size.FanInPosters, warmMessages, maxTime, numbersB);
        context.Log($"{label}: warm-up {nameA} {warmA.Operations:N0} delivered ({warmA.Errors} refused, {warmA.Lost} lost), {nameB} {warmB.Operations:N0} delivered");
        return await AbSchedule.AlternateAsync(
            context.Options.Rounds,
            r => FanInRunner.RunAsync(context, Side.A, r, routerA, processA, webhookA, users, size.FanInPosters, size.FanInMessages, maxTime, numbersA),
            r => FanInRunner.RunAsync(context, Side.B, r, routerB, processB, webhookB, users, size.FanInPosters, size.FanInMessages, maxTime, numbersB),
            (r, side, result) =>
            {
                RoundTripScenario.LogRun(context, label, r, side == Side.A ? nameA : nameB, result);
                if (result.Lost + result.Duplicates + result.Errors > 0)
                {
                    context.Log($"  {result.Errors} refused, {result.Lost} lost, {result.Duplicates} duplicated");
                }
            },
            context.Cancel);
    }
}
