using Akka;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using MessagingServer.Domain.Protocol;
using MessagingServer.Observability;
using MessagingServer.Sessions;

namespace MessagingServer.WebSockets;

/// <summary>
/// The bridge's incoming half: frames read from the socket are parsed and handled in order of arrival (up to
/// <see cref="ChatSessionOptions.SocketSendParallelism"/> at once); sends and acks go to the user's session,
/// and every answer for this socket alone (errors, pongs, a repeated send's first event) goes to its outbox.
/// </summary>
public sealed partial class SessionSocketBridge
{
    private Task RunInbound(WebSocketMessageReader reader, IActorRef sessions, string userId, IActorRef subscriber, SharedKillSwitch killSwitch, BridgeEnd end, CancellationToken aborted) =>
        Source.UnfoldAsync<WebSocketMessageReader, IncomingFrame>(reader, async r =>
            {
                var message = await r.ReadAsync(aborted);
                IncomingFrame? frame = message.Kind switch
                {
                    ReceivedKind.Text => new IncomingFrame.Request(ClientRequestParser.Parse(message.Payload.Span)),
                    ReceivedKind.Binary => IncomingFrame.Binary.Instance,
                    ReceivedKind.TooBig => IncomingFrame.TooBig.Instance,
                    _ => null,
                };
                return frame is null ? Akka.Util.Option<(WebSocketMessageReader, IncomingFrame)>.None : (r, frame);
            })
            .Via(killSwitch.Flow<IncomingFrame>())
            .TakeWhile(frame =>
            {
                end.TooBig = frame is IncomingFrame.TooBig;
                return !end.TooBig;
            })
            .SelectAsync(options.SocketSendParallelism, frame => HandleAsync(frame, sessions, userId, subscriber))
            .RunWith(Sink.Ignore<NotUsed>(), materializer);

    private async Task<NotUsed> HandleAsync(IncomingFrame frame, IActorRef sessions, string userId, IActorRef subscriber)
    {
        metrics.EventIn(frame switch
        {
            IncomingFrame.Request { Value: SendRequest } => "send",
            IncomingFrame.Request { Value: AckRequest } => "ack",
            IncomingFrame.Request { Value: PingRequest } => "ping",
            _ => "invalid",
        });
        switch (frame)
        {
            case IncomingFrame.Binary:
                subscriber.Tell(ServerFrame.Error(ErrorCodes.BinaryNotSupported, "binary frames are not supported; send JSON text frames"));
                break;
            case IncomingFrame.Request { Value: PingRequest }:
                subscriber.Tell(ServerFrame.Pong);
                break;
            case IncomingFrame.Request { Value: InvalidRequest invalid }:
                subscriber.Tell(ServerFrame.Error(invalid.Code, invalid.Message, invalid.ClientRef));
                break;
            case IncomingFrame.Request { Value: SendRequest send }:
                // Each send starts its own trace; its id follows the message through the session to the provider.
                using (var activity = Telemetry.Source.StartActivity("socket send", System.Diagnostics.ActivityKind.Server, parentContext: default))
                {
                    var correlationId = Telemetry.CorrelationIdOf(activity);
                    LogSend(logger, userId, correlationId);
                    await SendAsync(sessions, userId, subscriber, send, correlationId);
                }

                break;
            case IncomingFrame.Request { Value: AckRequest ack }:
                var acked = await AskOrUnavailable(sessions, new ChatSessionCommands.Ack(userId, ack.Seq), new AckResult(false, 0, "the session did not answer in time"));
                if (!acked.Accepted)
                {
                    subscriber.Tell(ServerFrame.Error(ErrorCodes.InvalidCursor, acked.Error ?? "ack refused"));
                }

                break;
        }

        return NotUsed.Instance;
    }

    private async Task SendAsync(IActorRef sessions, string userId, IActorRef subscriber, SendRequest send, string correlationId)
    {
        var result = await AskOrUnavailable<SendResult>(sessions, new ChatSessionCommands.Send(userId, send.To.Value, send.Body, send.ClientRef, correlationId, send.Media),
            new SendResult.Rejected(ErrorCodes.Unavailable, "the session did not answer in time; the message may not have been stored", send.ClientRef));
        switch (result)
        {
            case SendResult.Rejected rejected:
                subscriber.Tell(ServerFrame.Error(rejected.Code, rejected.Message, rejected.ClientRef));
                break;
            case SendResult.Accepted { Duplicate: true } duplicate:
                // A retried clientRef: answer with the first outbound event again, on this socket only.
                subscriber.Tell(duplicate.Frame with { Seq = 0 });
                break;
        }
    }

    private Task<T> AskOrUnavailable<T>(IActorRef sessions, IWithUserId command, T unavailable) =>
        sessions.AskOrAsync(command, options.SessionAskTimeout, unavailable);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Send from {UserId}'s socket (correlation {CorrelationId})")]
    private static partial void LogSend(ILogger logger, string userId, string correlationId);
}
