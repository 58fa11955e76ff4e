using System.Diagnostics;
using System.Globalization;
using System.Text;
using MessagingServer.Bench.Clients;
using MessagingServer.Bench.Processes;

namespace MessagingServer.Bench.Scenarios;

/// <summary>
/// Busy users: a few users each sending as fast as their socket allows (a closed loop: send, wait for its own
/// <c>outbound</c>), with the loopback provider's status reports and auto-replies and an ack every ten sends, for
/// minutes. What a session keeps per user then shows: the server's memory above the idle start, per user, once the
/// sessions' windows are full. Flat per user is the target, not growing with what each user has sent.
/// </summary>
public sealed class BusyScenario : IScenario
{
    public const int FullUsers = 40;
    public static readonly TimeSpan FullDuration = TimeSpan.FromMinutes(4);
    public const double TargetMibPerUser = 1.0;

    public string Name => Cli.ScenarioNames.Busy;

    public string Title => "Busy users: memory per user that sends as fast as it can for minutes";

    public async Task<ScenarioResult> RunAsync(ScenarioContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var users = context.IsTiny ? 2 : FullUsers;
        var duration = context.Options.RunSeconds is { } s ? TimeSpan.FromSeconds(s) : context.IsTiny ? TimeSpan.FromSeconds(3) : FullDuration;
        var every = context.IsTiny ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(30);
        await using var server = await context.StartServerAsync("busy-server", new Dictionary<string, string>
        {
            ["Sms__Loopback__AutoReply"] = "true",
        });

        var sockets = new List<(BenchSocket Socket, BusyUser User)>();
        try
        {
            for (var i = 0; i < users; i++)
            {
                var user = new BusyUser(ScenarioContext.UserId("busy-", i), i);
                sockets.Add((await BenchSocket.ConnectAsync(context.UserSocket(server, user.Id), user.OnFrame, context.Cancel), user));
            }

            await Task.WhenAll(sockets.Select(s => s.User.Welcomed.Task.WaitAsync(BenchSocket.ConnectTimeout, context.Cancel)));
            var idle = await server.SampleAsync(collect: true);
            var samples = new List<(double Seconds, ProcessSample Sample, long Sends)>();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.Cancel);
            var clock = Stopwatch.StartNew();
            var loops = sockets.Select(s => s.User.RunAsync(s.Socket, stop.Token)).ToList();
            while (clock.Elapsed < duration && loops.Any(l => !l.IsCompleted))
            {
                var next = every * (samples.Count + 1);
                await Task.WhenAny(Task.Delay((next < duration ? next : duration) - clock.Elapsed, context.Cancel), Task.WhenAll(loops));
                samples.Add((clock.Elapsed.TotalSeconds, await server.SampleAsync(collect: true), sockets.Sum(s => s.User.Sends)));
                context.Log(string.Create(CultureInfo.InvariantCulture,
                    $"busy {clock.Elapsed.TotalSeconds:0} s: {samples[^1].Sends:N0} sends, RSS {samples[^1].Sample.RssKib / 1024.0:0.0} MiB"));
            }

            await stop.CancelAsync();
            await Task.WhenAll(loops);
            return Report(users, duration, idle, samples, sockets.Select(s => s.User).ToList());
        }
        finally
        {
            foreach (var (socket, _) in sockets)
            {
                await socket.DisposeAsync();
            }
        }
    }

    private ScenarioResult Report(int users, TimeSpan duration, ProcessSample idle, List<(double Seconds, ProcessSample Sample, long Sends)> samples, List<BusyUser> all)
    {
        double PerUserMib(long kib) => (kib - idle.RssKib) / 1024.0 / users;
        double? HeapPerUserMib(long? bytes) => bytes is { } b && idle.HeapBytes is { } i ? (b - i) / (1024.0 * 1024.0) / users : null;
        var last = samples.Count > 0 ? samples[^1] : (0, idle, 0);
        var errors = all.Sum(u => u.Errors);
        var table = new ResultTable(
            "server memory above the idle start (all users connected, nothing sent), per busy user",
            ["elapsed", "sends (all users)", "sends per user", "RSS MiB", "RSS per user MiB", "live heap per user MiB"],
            [.. samples.Select(s => (IReadOnlyList<string>)
            [
                Fmt.Num(s.Seconds, "0"), Fmt.Int(s.Sends), Fmt.Int(s.Sends / users), Fmt.Num(s.Sample.RssKib / 1024.0, "0.0"),
                Fmt.Num(PerUserMib(s.Sample.RssKib), "0.00"), Fmt.Num(HeapPerUserMib(s.Sample.HeapBytes), "0.00"),
            ])]);
        return new ScenarioResult(
            Name, Title,
            string.Create(CultureInfo.InvariantCulture,
                $"one server (SQLite, loopback provider with auto-reply: each send stores outbound, sent, delivered and the reply) for {duration.TotalMinutes:0.#} min; " +
                $"{users} users on one socket each, every one a closed loop of send → its own outbound, acking every ten sends. RSS from /proc, live heap after a forced full collection."),
            [table],
            [
                TargetCheck.AtMost("busy: server RSS per busy user once its windows are full", PerUserMib(last.Sample.RssKib), TargetMibPerUser, "0.00", " MiB"),
                TargetCheck.Exactly("busy: failed or unanswered sends", errors, 0),
            ],
            [
                string.Create(CultureInfo.InvariantCulture, $"idle start: RSS {idle.RssKib / 1024.0:0.0} MiB with {users} users connected"),
                string.Create(CultureInfo.InvariantCulture, $"sends per user: {Fmt.Int(all.Min(u => u.Sends))} to {Fmt.Int(all.Max(u => u.Sends))}"),
            ]);
    }

    /// <summary>One busy user's loop: one send in flight, answered by its own outbound; an ack every ten sends.</summary>
    private sealed class BusyUser(string id, int index)
    {
        private TaskCompletionSource _answered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private long _highest;
        private long _sends;
        private long _errors;

        public string Id { get; } = id;

        public TaskCompletionSource Welcomed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public long Sends => Interlocked.Read(ref _sends);

        public long Errors => Interlocked.Read(ref _errors);

        public void OnFrame(Frame frame, long _)
        {
            if (frame.Type == "welcome")
            {
                Welcomed.TrySetResult();
            }
            else if (frame.IsEvent)
            {
                Interlocked.Exchange(ref _highest, Math.Max(Interlocked.Read(ref _highest), frame.Seq));
            }

            if ((frame.Type == "outbound" && frame.ClientRef?.StartsWith(Id + "-", StringComparison.Ordinal) == true) || frame.Type == "error")
            {
                if (frame.Type == "error")
                {
                    Interlocked.Increment(ref _errors);
                }

                Volatile.Read(ref _answered).TrySetResult();
            }
        }

        public async Task RunAsync(BenchSocket socket, CancellationToken stop)
        {
            long n = 0;
            try
            {
                while (!stop.IsCancellationRequested && socket.IsOpen)
                {
                    Volatile.Write(ref _answered, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                    var send = string.Create(CultureInfo.InvariantCulture,
                        $$"""{"type":"send","to":"{{ScenarioContext.ClientNumber(index * 100 + (n % 100))}}","body":"busy {{n}}","clientRef":"{{Id}}-{{n}}"}""");
                    await socket.SendAsync(Encoding.UTF8.GetBytes(send), stop);
                    await Volatile.Read(ref _answered).Task.WaitAsync(TimeSpan.FromSeconds(30), stop);
                    Interlocked.Increment(ref _sends);
                    if (++n % 10 == 0)
                    {
                        await socket.SendAsync(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $$"""{"type":"ack","seq":{{Interlocked.Read(ref _highest)}}}""")), stop);
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            catch (Exception e) when (e is TimeoutException or System.Net.WebSockets.WebSocketException or OperationCanceledException)
            {
                Interlocked.Increment(ref _errors);
            }
        }
    }
}
