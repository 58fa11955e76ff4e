using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MessagingServer.EndToEnd.Infrastructure;

namespace MessagingServer.EndToEnd.Cluster;

/// <summary>
/// A user's app on one node of a cluster that reads every frame in the background and records each event's
/// seq. When its socket closes or drops, it connects again with <c>since=</c> the last seq it saw (to its own
/// node if it is running, else to another), as a real app resumes; every close is recorded, so a test can
/// require that none happened. Any event out of order (a gap or a duplicate across all its connections) is
/// recorded as an anomaly.
/// </summary>
public sealed class FollowingSocket : IAsyncDisposable
{
    private const int MaxConnects = 40;
    private readonly ClusterNodes _cluster;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<JsonObject> _events = [];
    private readonly List<string> _closes = [];
    private readonly List<string> _anomalies = [];
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private ClientWebSocket? _socket;
    private Task _loop = Task.CompletedTask;
    private long _lastSeq;

    private FollowingSocket(ClusterNodes cluster, string user, ClusterNode node)
    {
        _cluster = cluster;
        User = user;
        Node = node;
    }

    public string User { get; }

    /// <summary>The node it prefers (and is on unless that node is down).</summary>
    public ClusterNode Node { get; }

    /// <summary>The node of the current connection.</summary>
    public ClusterNode? ConnectedTo { get; private set; }

    public long LastSeq => Interlocked.Read(ref _lastSeq);

    public int Connects { get; private set; }

    public IReadOnlyList<JsonObject> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>Each time the socket was closed or dropped under it: "node B: 1012 session moved" and the like.</summary>
    public IReadOnlyList<string> Closes
    {
        get
        {
            lock (_closes)
            {
                return [.. _closes];
            }
        }
    }

    /// <summary>Gaps and duplicates in the seq stream; empty when every event came once and in order.</summary>
    public IReadOnlyList<string> Anomalies
    {
        get
        {
            lock (_anomalies)
            {
                return [.. _anomalies];
            }
        }
    }

    /// <summary>Connects to <paramref name="node"/> with <c>since=</c><paramref name="since"/> and starts reading.</summary>
    public static async Task<FollowingSocket> ConnectAsync(ClusterNodes cluster, string user, ClusterNode node, long since = 0)
    {
        var socket = new FollowingSocket(cluster, user, node) { _lastSeq = since };
        await socket.ConnectOnceAsync(node);
        socket._loop = Task.Run(socket.ReadLoopAsync);
        return socket;
    }

    public async Task SendAsync(object request)
    {
        var bytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(request));
        await _sendLock.WaitAsync();
        try
        {
            using var timeout = new CancellationTokenSource(SocketClient.DefaultTimeout);
            await (_socket ?? throw new InvalidOperationException("not connected")).SendAsync(bytes, WebSocketMessageType.Text, true, timeout.Token);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Polls until the socket has seen seq <paramref name="seq"/>; false if it has not within <paramref name="timeout"/>.</summary>
    public async Task<bool> ReachesSeqAsync(long seq, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (LastSeq < seq && !_loop.IsCompleted && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        return LastSeq >= seq;
    }

    /// <summary>Polls until the socket has seen seq <paramref name="seq"/> (or fails with what it saw).</summary>
    public async Task WaitForSeqAsync(long seq, TimeSpan timeout)
    {
        await Eventually.TrueAsync(
            () => LastSeq >= seq || _loop.IsCompleted,
            timeout,
            $"{User} on {Node.Name} saw up to seq {LastSeq}, not {seq}; closes: [{string.Join(", ", Closes)}]");
        if (LastSeq < seq)
        {
            await _loop;
            Assert.Fail($"{User}'s socket stopped following at seq {LastSeq}");
        }
    }

    private async Task ConnectOnceAsync(ClusterNode node)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", $"Bearer {TestTokens.For(User)}");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await socket.ConnectAsync(node.WebSocketUri($"/message/{User}?since={LastSeq}"), timeout.Token);
            var welcome = JsonNode.Parse(await ReceiveAsync(socket, timeout.Token) ?? throw new WebSocketException("closed before welcome"))!;
            if ((string?)welcome["type"] != "welcome")
            {
                throw new InvalidOperationException($"first frame was not a welcome: {welcome.ToJsonString()}");
            }
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        _socket?.Dispose();
        _socket = socket;
        ConnectedTo = node;
        Connects++;
    }

    private async Task ReadLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            string? text;
            try
            {
                text = await ReceiveAsync(_socket!, _stop.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                if (_stop.IsCancellationRequested)
                {
                    return;
                }

                text = null;
                Record(_closes, $"node {ConnectedTo?.Name}: dropped ({e.GetType().Name}: {e.Message})");
            }

            if (text is null)
            {
                if (_stop.IsCancellationRequested)
                {
                    return;
                }

                if (_socket!.CloseStatus is { } status)
                {
                    Record(_closes, $"node {ConnectedTo?.Name}: {(int)status} {_socket.CloseStatusDescription}");
                }

                await ReconnectAsync();
                continue;
            }

            var frame = JsonNode.Parse(text)!.AsObject();
            if (frame["seq"] is { } seqNode && (long)seqNode is var seq and > 0)
            {
                var last = LastSeq;
                if (seq != last + 1)
                {
                    Record(_anomalies, seq <= last ? $"duplicate seq {seq} after {last}" : $"gap: seq {seq} after {last}");
                }

                lock (_events)
                {
                    _events.Add(frame);
                }

                Interlocked.Exchange(ref _lastSeq, Math.Max(last, seq));
            }
        }
    }

    /// <summary>Connects again from the last seq seen: to its own node while it runs, else to any running node. Bounded.</summary>
    private async Task ReconnectAsync()
    {
        for (var attempt = 0; attempt < 240 && Connects < MaxConnects && !_stop.IsCancellationRequested; attempt++)
        {
            var running = _cluster.Running.ToList();
            var node = Node.IsRunning ? Node : running.Count > 0 ? running[attempt % running.Count] : Node;
            try
            {
                await ConnectOnceAsync(node);
                return;
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or InvalidOperationException or HttpRequestException)
            {
                // The node is going down or its session is moving: try again shortly (a back-off, not a synchronisation).
                await Task.Delay(250, CancellationToken.None);
            }
        }

        throw new InvalidOperationException($"{User}'s socket could not reconnect after {Connects} connects; closes: [{string.Join(", ", Closes)}]");
    }

    private static async Task<string?> ReceiveAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[8192];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
            }
        }
    }

    private static void Record(List<string> list, string entry)
    {
        lock (list)
        {
            list.Add(entry);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (InvalidOperationException)
        {
            // Already reported by the test that waited on it.
        }

        if (_socket is { State: WebSocketState.Open } socket)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "test done", timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                // The node may be gone.
            }
        }

        _socket?.Dispose();
        _stop.Dispose();
        _sendLock.Dispose();
    }
}
