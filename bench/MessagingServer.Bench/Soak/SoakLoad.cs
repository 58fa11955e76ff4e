using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using MessagingServer.Bench.Clients;
using MessagingServer.Bench.Processes;
using MessagingServer.Bench.Scenarios;

namespace MessagingServer.Bench.Soak;

/// <summary>
/// The soak's moderate mixed load, all at once until the stop token: users on open sockets sending SMS
/// (through the fake Twilio, with status callbacks) and acking what they get; signed inbound webhooks;
/// users that connect, read their welcome, ack and leave; and slow readers that never read their socket and
/// are dropped and reopened now and then. Each loop paces itself; counts are read by the sampler.
/// </summary>
public sealed class SoakLoad(ScenarioContext context, BenchProcess server, SoakShape shape)
{
    private long _sends;
    private long _webhooks;
    private long _reconnects;
    private long _slowCycles;
    private long _errors;

    public long Sends => Interlocked.Read(ref _sends);

    public long Webhooks => Interlocked.Read(ref _webhooks);

    public long Reconnects => Interlocked.Read(ref _reconnects);

    public long SlowReaderCycles => Interlocked.Read(ref _slowCycles);

    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>Runs every loop until <paramref name="stop"/>; the stop itself is the normal end, not an error.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        try
        {
            await Task.WhenAll(
                Enumerable.Range(0, shape.Senders).Select(i => SenderAsync(i, stop))
                    .Append(WebhooksAsync(stop))
                    .Concat(Enumerable.Range(0, shape.Reconnectors).Select(i => ReconnectorAsync(i, stop)))
                    .Concat(Enumerable.Range(0, shape.SlowReaders).Select(i => SlowReaderAsync(i, stop))));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>The users that get webhooks: reconnectors first, then slow readers (they own numbers 0..n-1).</summary>
    public static string InboxUser(int index) => ScenarioContext.UserId("soak-in-", index);

    private async Task SenderAsync(int index, CancellationToken stop)
    {
        var user = ScenarioContext.UserId("soak-out-", index);
        long n = 0;
        while (!stop.IsCancellationRequested)
        {
            var sendLock = new SemaphoreSlim(1, 1);
            long highest = 0;
            BenchSocket? socket = null;
            try
            {
                socket = await BenchSocket.ConnectAsync(context.UserSocket(server, user), (frame, _) =>
                {
                    if (frame.IsEvent)
                    {
                        Interlocked.Exchange(ref highest, Math.Max(Interlocked.Read(ref highest), frame.Seq));
                    }
                }, stop);
                while (!stop.IsCancellationRequested && socket.IsOpen)
                {
                    await Task.Delay(shape.SendEvery, stop);
                    var body = string.Create(CultureInfo.InvariantCulture,
                        $$"""{"type":"send","to":"{{ScenarioContext.ClientNumber(index * 1000 + (n % 50))}}","body":"soak {{n}}","clientRef":"soak-{{index}}-{{n}}"}""");
                    await SendAsync(socket, sendLock, body, stop);
                    Interlocked.Increment(ref _sends);
                    if (++n % 10 == 0 && Interlocked.Read(ref highest) is > 0 and var seq)
                    {
                        await SendAsync(socket, sendLock, string.Create(CultureInfo.InvariantCulture, $$"""{"type":"ack","seq":{{seq}}}"""), stop);
                    }
                }
            }
            catch (Exception e) when (IsLoadFailure(e, stop))
            {
                Interlocked.Increment(ref _errors);
            }
            finally
            {
                if (socket is not null)
                {
                    await socket.DisposeAsync();
                }

                sendLock.Dispose();
            }
        }
    }

    private async Task WebhooksAsync(CancellationToken stop)
    {
        var hook = new SignedWebhook(context.Http, context.TwilioAccountSid, context.TwilioAuthToken);
        var url = server.Http("twilio/sms");
        var run = Environment.ProcessId;
        var inboxes = shape.Reconnectors + shape.SlowReaders;
        long i = 0;
        while (!stop.IsCancellationRequested)
        {
            await DelayAsync(shape.WebhookEvery, stop);
            var to = ScenarioContext.NumberOf((int)(i % inboxes));
            var status = await hook.PostInboundAsync(url, SignedWebhook.MessageSid(run, i), ScenarioContext.ClientNumber(i), to, $"soak inbound {i}", stop);
            Interlocked.Increment(ref status == 200 ? ref _webhooks : ref _errors);
            i++;
        }
    }

    private async Task ReconnectorAsync(int index, CancellationToken stop)
    {
        var user = InboxUser(index);
        while (!stop.IsCancellationRequested)
        {
            await DelayAsync(shape.ReconnectEvery, stop);
            var welcome = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            BenchSocket? socket = null;
            try
            {
                socket = await BenchSocket.ConnectAsync(context.UserSocket(server, user), (frame, _) =>
                {
                    if (frame.Type == "welcome")
                    {
                        welcome.TrySetResult(frame.LastSeq);
                    }
                }, stop);
                var lastSeq = await welcome.Task.WaitAsync(TimeSpan.FromSeconds(30), stop);
                if (lastSeq > 0)
                {
                    await socket.SendAsync(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $$"""{"type":"ack","seq":{{lastSeq}}}""")), stop);
                }

                await socket.CloseAsync(TimeSpan.FromSeconds(5));
                Interlocked.Increment(ref _reconnects);
            }
            catch (Exception e) when (IsLoadFailure(e, stop))
            {
                Interlocked.Increment(ref _errors);
            }
            finally
            {
                if (socket is not null)
                {
                    await socket.DisposeAsync();
                }
            }
        }
    }

    /// <summary>A socket nobody reads: its events pile up in the server's buffer until it closes it (1013) or we drop it.</summary>
    private async Task SlowReaderAsync(int index, CancellationToken stop)
    {
        var user = InboxUser(shape.Reconnectors + index);
        while (!stop.IsCancellationRequested)
        {
            using var socket = new ClientWebSocket();
            socket.Options.KeepAliveInterval = TimeSpan.Zero;
            try
            {
                await socket.ConnectAsync(context.UserSocket(server, user), stop);
                await Task.Delay(shape.SlowReaderLife, stop);
                Interlocked.Increment(ref _slowCycles);
            }
            catch (Exception e) when (IsLoadFailure(e, stop))
            {
                Interlocked.Increment(ref _errors);
                await DelayAsync(TimeSpan.FromSeconds(1), stop);
            }
            finally
            {
                // Dropped without a close frame, as a phone losing its network would.
                socket.Abort();
            }
        }
    }

    private static async Task SendAsync(BenchSocket socket, SemaphoreSlim sendLock, string json, CancellationToken stop)
    {
        await sendLock.WaitAsync(stop);
        try
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(json), stop);
        }
        finally
        {
            sendLock.Release();
        }
    }

    private static async Task DelayAsync(TimeSpan delay, CancellationToken stop)
    {
        try
        {
            await Task.Delay(delay, stop);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static bool IsLoadFailure(Exception e, CancellationToken stop) =>
        e is WebSocketException or HttpRequestException or IOException or TimeoutException or InvalidOperationException
        || (e is OperationCanceledException && !stop.IsCancellationRequested);
}

/// <summary>How much of each kind of load the soak runs, and how often.</summary>
public sealed record SoakShape(
    int Senders, TimeSpan SendEvery, TimeSpan WebhookEvery, int Reconnectors, TimeSpan ReconnectEvery, int SlowReaders, TimeSpan SlowReaderLife)
{
    /// <summary>About 20 sends/s, 10 webhooks/s, 2 reconnects/s, 4 slow readers replaced every 30 s.</summary>
    public static readonly SoakShape Moderate = new(
        Senders: 20, SendEvery: TimeSpan.FromSeconds(1), WebhookEvery: TimeSpan.FromMilliseconds(100),
        Reconnectors: 10, ReconnectEvery: TimeSpan.FromSeconds(5), SlowReaders: 4, SlowReaderLife: TimeSpan.FromSeconds(30));

    public static readonly SoakShape Tiny = new(
        Senders: 2, SendEvery: TimeSpan.FromMilliseconds(200), WebhookEvery: TimeSpan.FromMilliseconds(100),
        Reconnectors: 2, ReconnectEvery: TimeSpan.FromMilliseconds(300), SlowReaders: 1, SlowReaderLife: TimeSpan.FromSeconds(1));

    public int InboxUsers => Reconnectors + SlowReaders;
}
