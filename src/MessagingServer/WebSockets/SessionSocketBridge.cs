using System.Net.WebSockets;
using Akka;
using Akka.Actor;
using Akka.Hosting;
using Akka.Streams;
using Akka.Streams.Dsl;
using MessagingServer.Domain.Protocol;
using MessagingServer.Observability;
using MessagingServer.Security;
using MessagingServer.Sessions;

namespace MessagingServer.WebSockets;

/// <summary>
/// Wires one user socket to the user's session with two Akka.Streams graphs joined by a kill switch:
/// frames in → parse → the session (through the registry, wherever the session lives); the session's
/// events → a bounded buffer → frames out. Whichever side ends first ends the other:
/// the peer closes (1000), the client stops reading until the buffer overflows (1013),
/// the session stops (1012, reconnect), a message is too big (1009), the server stops (1001).
/// </summary>
public sealed partial class SessionSocketBridge(
    IRequiredActor<ChatSessionRegistry> registry,
    IRequiredActor<UserHubs> hubs,
    IMaterializer materializer,
    ChatSessionOptions options,
    WebSocketSettings socketSettings,
    BridgeCounters counters,
    MessagingMetrics metrics,
    StoredEvents stored,
    Serilog.IDiagnosticContext requestLog,
    ILogger<SessionSocketBridge> logger)
{
    public async Task RunAsync(TrackedWebSocket socket, string userId, long? since, CancellationToken aborted)
    {
        var sessions = await registry.GetAsync(aborted);
        var hub = await hubs.GetAsync(aborted);
        var killSwitch = KillSwitches.Shared($"socket-{userId}");
        var end = new BridgeEnd();
        var (subscriber, outgoing) = await RunOutgoingAsync(socket, killSwitch, end, aborted);
        bool connected;
        try
        {
            connected = await ConnectAsync(socket, hub, userId, since, subscriber, aborted);
        }
        catch
        {
            // The socket went away (or the server is stopping) while connecting: end the outgoing graph too.
            subscriber.Tell(new Status.Success(NotUsed.Instance));
            throw;
        }

        if (!connected)
        {
            subscriber.Tell(new Status.Success(NotUsed.Instance));
            await Quietly(outgoing);
            await socket.CloseAsync(WebSocketCloseStatus.InternalServerError, "session unavailable, try again");
            await DrainAsync(new WebSocketMessageReader(socket.Socket, socketSettings.MaxMessageBytes), aborted);
            return;
        }

        counters.Opened();
        try
        {
            var reader = new WebSocketMessageReader(socket.Socket, socketSettings.MaxMessageBytes);
            var inbound = RunInbound(reader, sessions, userId, subscriber, killSwitch, end, aborted);

            if (await Task.WhenAny(inbound, outgoing) == outgoing)
            {
                // The session side ended first: tell the client why, then wait for its close.
                await socket.CloseAsync(end.OutgoingCloseStatus(outgoing), end.OutgoingCloseReason);
            }

            if (await Quietly(inbound) is { } fault)
            {
                // The client vanished or broke the protocol: not a server error. Its request's one line says how it ended.
                requestLog.Set("SocketEnd", SocketEnds.Describe(fault));
            }

            killSwitch.Shutdown();
            if (end.TooBig)
            {
                await socket.CloseAsync(WebSocketCloseStatus.MessageTooBig, $"message over {socketSettings.MaxMessageBytes} bytes");
                await DrainAsync(reader, aborted);
            }
            else
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye");
            }

            await Quietly(outgoing);
        }
        finally
        {
            hub.Tell(new UserHubs.Leave(userId, subscriber));
            subscriber.Tell(new Status.Success(NotUsed.Instance));
            counters.Closed();
        }
    }

    /// <summary>
    /// Subscribes the socket. A device further behind than the session's memory first gets the welcome and the
    /// older events from the journal's read side (<see cref="StoredEvents"/>), then connects again from there (as
    /// often as memory moved on meanwhile).
    /// </summary>
    private async Task<bool> ConnectAsync(TrackedWebSocket socket, IActorRef hub, string userId, long? since, IActorRef subscriber, CancellationToken aborted)
    {
        var welcomed = false;
        try
        {
            while (true)
            {
                var connected = await hub.Ask<Connected>(
                    new UserHubs.Join(userId, since, subscriber, SendWelcome: !welcomed), options.SessionConnectTimeout, aborted);
                if (connected.JournalBefore == 0)
                {
                    return true;
                }

                if (!welcomed)
                {
                    await socket.SendTextAsync(connected.Welcome.Utf8, aborted);
                    welcomed = true;
                }

                try
                {
                    await stored.After(userId, connected.ReplayFrom - 1)
                        .TakeWhile(e => e.Seq < connected.JournalBefore)
                        .Select(e => new ServerFrame(e.Seq, ServerFrames.Event(e)))
                        .Via(SendTo(socket, aborted))
                        .RunWith(Sink.Ignore<NotUsed>(), materializer);
                }
                catch (Exception e) when (e is not (OperationCanceledException or WebSocketException or ObjectDisposedException))
                {
                    // The journal could not be read: the device reconnects and resumes from what it got.
                    LogSessionUnavailable(logger, userId, "reading older events failed: " + e.Message);
                    return false;
                }
                since = connected.JournalBefore - 1;
            }
        }
        catch (Exception e) when (e is AskTimeoutException or SessionUnavailableException)
        {
            LogSessionUnavailable(logger, userId, e.Message);
            return false;
        }
    }

    /// <summary>
    /// One graph per socket for what it is shown: the session tells the materialized actor the welcome, the
    /// missed events and then live ones; they go out in order, each event at most once, until the session ends.
    /// </summary>
    private async Task<(IActorRef Subscriber, Task Completion)> RunOutgoingAsync(TrackedWebSocket socket, SharedKillSwitch killSwitch, BridgeEnd end, CancellationToken aborted)
    {
        var lastSeq = 0L;
        var (subscriber, completion) = Source.FromGraph(new SocketOutbox(options.SocketBufferSize))
            .Via(killSwitch.Flow<object>())
            .TakeWhile(element =>
            {
                if (element is SessionEnded ended)
                {
                    end.SessionEnded = ended.Reason;
                    return false;
                }

                return true;
            })
            .Collect(
                element =>
                {
                    // Events carry their seq; never show one twice (replies have seq 0).
                    if (element is not ServerFrame frame || (frame.Seq != 0 && frame.Seq <= lastSeq))
                    {
                        return false;
                    }

                    lastSeq = Math.Max(lastSeq, frame.Seq);
                    return true;
                },
                element => (ServerFrame)element)
            .Via(SendTo(socket, aborted))
            .ToMaterialized(Sink.Ignore<NotUsed>(), Keep.Both)
            .Run(materializer);
        var observed = completion.ContinueWith(
                t =>
                {
                    if (t.Exception?.GetBaseException() is BufferOverflowException)
                    {
                        counters.Overflow();
                        end.Overflowed = true;
                        LogOverflow(logger, options.SocketBufferSize);
                    }

                    return t;
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default)
            .Unwrap();
        return (await subscriber, observed);
    }

    /// <summary>Writes each frame to the socket, one at a time, in order.</summary>
    private static Flow<ServerFrame, NotUsed, NotUsed> SendTo(TrackedWebSocket socket, CancellationToken aborted) =>
        Flow.Create<ServerFrame>().SelectAsync(1, async frame =>
        {
            await socket.SendTextAsync(frame.Utf8, aborted);
            return NotUsed.Instance;
        });

    private static async Task DrainAsync(WebSocketMessageReader reader, CancellationToken aborted)
    {
        try
        {
            while ((await reader.ReadAsync(aborted)).Kind != ReceivedKind.Close)
            {
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The peer went away without a close frame, or the close timeout aborted it.
        }
    }

    /// <summary>Waits for a graph; how it ended is recorded in BridgeEnd, so a socket's end is returned, not thrown.</summary>
    private static async Task<Exception?> Quietly(Task task)
    {
        try
        {
            await task;
            return null;
        }
        catch (Exception e) when (SocketEnds.IsSocketEnd(e))
        {
            return e;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Socket of {UserId} closed with 1011: its session did not answer ({Reason})")]
    private static partial void LogSessionUnavailable(ILogger logger, string userId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A client fell more than {BufferSize} frames behind; closing its socket with 1013")]
    private static partial void LogOverflow(ILogger logger, int bufferSize);
}
