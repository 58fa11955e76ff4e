using System.Globalization;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace MessagingServer.Bench.Clients;

public enum OpOutcome
{
    Ok,
    Error,
    Timeout,
}

/// <summary>One connection doing one operation at a time (a closed loop): send, then wait for the answer that matches.</summary>
public interface IRoundTripClient : IAsyncDisposable
{
    /// <summary>One operation; each call uses a clientRef this connection never used before (the server deduplicates them).</summary>
    Task<OpOutcome> RoundTripAsync(TimeSpan timeout, CancellationToken cancel);
}

/// <summary>
/// A WebSocket <c>send</c> answered by a frame carrying the same <c>clientRef</c>: the server's
/// <c>outbound</c> event, or the bare echo's copy of the request (type <c>send</c>). An <c>error</c>
/// frame with that clientRef fails the operation. Other frames (status events) are ignored.
/// </summary>
public sealed class SocketRoundTrip : IRoundTripClient
{
    private readonly string _replyType;
    private readonly string _to;
    private readonly string _refPrefix;
    private BenchSocket? _socket;
    private string? _expected;
    private long _count;
    private TaskCompletionSource<OpOutcome>? _pending;

    private SocketRoundTrip(string replyType, string to, string refPrefix)
    {
        _replyType = replyType;
        _to = to;
        _refPrefix = refPrefix;
    }

    public static async Task<SocketRoundTrip> ConnectAsync(Uri uri, string replyType, string to, string refPrefix, CancellationToken cancel)
    {
        var client = new SocketRoundTrip(replyType, to, refPrefix);
        client._socket = await BenchSocket.ConnectAsync(uri, client.OnFrame, cancel);
        return client;
    }

    private void OnFrame(Frame frame, long arrived)
    {
        if (frame.ClientRef is null || frame.ClientRef != Volatile.Read(ref _expected))
        {
            return;
        }

        if (frame.Type == _replyType)
        {
            Volatile.Read(ref _pending)?.TrySetResult(OpOutcome.Ok);
        }
        else if (frame.Type == "error")
        {
            Volatile.Read(ref _pending)?.TrySetResult(OpOutcome.Error);
        }
    }

    public async Task<OpOutcome> RoundTripAsync(TimeSpan timeout, CancellationToken cancel)
    {
        var clientRef = _refPrefix + (++_count).ToString(CultureInfo.InvariantCulture);
        var pending = new TaskCompletionSource<OpOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _pending, pending);
        Volatile.Write(ref _expected, clientRef);
        await _socket!.SendAsync(Frame.Send(_to, "Round trip " + clientRef, clientRef), cancel);
        return await Outcome(pending.Task, timeout);
    }

    internal static async Task<OpOutcome> Outcome(Task<OpOutcome> pending, TimeSpan timeout)
    {
        try
        {
            return await pending.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            return OpOutcome.Timeout;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket is not null)
        {
            await _socket.CloseAsync(TimeSpan.FromSeconds(5));
            await _socket.DisposeAsync();
        }
    }
}

/// <summary>
/// The relay: <c>send</c>, its <c>outbound</c> event (by clientRef) gives the message id, and the operation ends
/// with that id's <c>delivered</c> status (or fails on <c>failed</c>/<c>undelivered</c>/<c>error</c>).
/// Frames of one socket arrive in order, so the id is known before its statuses come.
/// </summary>
public sealed class RelayRoundTrip : IRoundTripClient
{
    private readonly string _to;
    private readonly string _refPrefix;
    private BenchSocket? _socket;
    private string? _expectedRef;
    private long _count;
    private string? _messageId;
    private TaskCompletionSource<OpOutcome>? _pending;

    private RelayRoundTrip(string to, string refPrefix)
    {
        _to = to;
        _refPrefix = refPrefix;
    }

    public static async Task<RelayRoundTrip> ConnectAsync(Uri uri, string to, string refPrefix, CancellationToken cancel)
    {
        var client = new RelayRoundTrip(to, refPrefix);
        client._socket = await BenchSocket.ConnectAsync(uri, client.OnFrame, cancel);
        return client;
    }

    private void OnFrame(Frame frame, long arrived)
    {
        switch (frame.Type)
        {
            case "outbound" when frame.ClientRef is not null && frame.ClientRef == Volatile.Read(ref _expectedRef):
                _messageId = frame.Id;
                break;
            case "status" when frame.Id is not null && frame.Id == _messageId:
                if (frame.Status == "delivered")
                {
                    Volatile.Read(ref _pending)?.TrySetResult(OpOutcome.Ok);
                }
                else if (frame.Status is "failed" or "undelivered")
                {
                    Volatile.Read(ref _pending)?.TrySetResult(OpOutcome.Error);
                }

                break;
            case "error" when frame.ClientRef is not null && frame.ClientRef == Volatile.Read(ref _expectedRef):
                Volatile.Read(ref _pending)?.TrySetResult(OpOutcome.Error);
                break;
        }
    }

    public async Task<OpOutcome> RoundTripAsync(TimeSpan timeout, CancellationToken cancel)
    {
        var clientRef = _refPrefix + (++_count).ToString(CultureInfo.InvariantCulture);
        var pending = new TaskCompletionSource<OpOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _pending, pending);
        Volatile.Write(ref _expectedRef, clientRef);
        await _socket!.SendAsync(Frame.Send(_to, "Relay " + clientRef, clientRef), cancel);
        return await SocketRoundTrip.Outcome(pending.Task, timeout);
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket is not null)
        {
            await _socket.CloseAsync(TimeSpan.FromSeconds(5));
            await _socket.DisposeAsync();
        }
    }
}

/// <summary>The SignalR hub's round trip: <c>Send</c> to the hub, answered by an <c>outbound</c> event with the same clientRef.</summary>
public sealed class SignalRRoundTrip : IRoundTripClient
{
    private readonly HubConnection _connection;
    private readonly string _to;
    private readonly string _refPrefix;
    private readonly string _method;
    private string? _expected;
    private long _count;
    private TaskCompletionSource<OpOutcome>? _pending;

    private SignalRRoundTrip(HubConnection connection, string to, string refPrefix, string method)
    {
        _connection = connection;
        _to = to;
        _refPrefix = refPrefix;
        _method = method;
        connection.On<OutboundEvent>("outbound", e =>
        {
            if (e.ClientRef is not null && e.ClientRef == Volatile.Read(ref _expected))
            {
                Volatile.Read(ref _pending)?.TrySetResult(OpOutcome.Ok);
            }
        });
    }

    public static HubConnection Connection(Uri hub) =>
        new HubConnectionBuilder()
            .WithUrl(hub, HttpTransportType.WebSockets, o => o.SkipNegotiation = true)
            .Build();

    /// <summary>Starts a hub connection, bounded like a socket handshake.</summary>
    public static async Task StartAsync(HubConnection connection, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        bounded.CancelAfter(BenchSocket.ConnectTimeout);
        await connection.StartAsync(bounded.Token);
    }

    /// <param name="method">The hub method: <c>Send</c> (answers at once) or <c>SendDurable</c> (answers after storing).</param>
    public static async Task<SignalRRoundTrip> ConnectAsync(Uri hub, string to, string refPrefix, CancellationToken cancel, string method = "Send")
    {
        var client = new SignalRRoundTrip(Connection(hub), to, refPrefix, method);
        await StartAsync(client._connection, cancel);
        return client;
    }

    public async Task<OpOutcome> RoundTripAsync(TimeSpan timeout, CancellationToken cancel)
    {
        var clientRef = _refPrefix + (++_count).ToString(CultureInfo.InvariantCulture);
        var pending = new TaskCompletionSource<OpOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _pending, pending);
        Volatile.Write(ref _expected, clientRef);
        await _connection.SendAsync(_method, new SendCommand(_to, "Round trip " + clientRef, clientRef), cancel);
        return await SocketRoundTrip.Outcome(pending.Task, timeout);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _connection.StopAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
        }

        await _connection.DisposeAsync();
    }
}
