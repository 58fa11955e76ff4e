using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Stage;
using MessagingServer.Domain.Protocol;
using MessagingServer.Sessions;

namespace MessagingServer.WebSockets;

/// <summary>
/// The head of a socket's outgoing stream: an actor ref that sessions tell frames to, which is the stage's own
/// (a function ref on the stream's actor) rather than an actor of its own. Up to <c>maxBuffer</c> messages wait
/// for the socket; one more fails the stream with <see cref="BufferOverflowException"/> (the bridge closes 1013).
/// <see cref="Status.Success"/> completes it once what waits has gone out; <see cref="Status.Failure"/> fails it.
/// A <see cref="FrameBatch"/> (the welcome and missed events) waits as one message and goes out frame by frame;
/// while it does, as many more messages as it has frames left may wait behind it.
/// Akka's <c>Source.ActorRef</c> did the same job with an extra actor and a publisher per socket.
/// </summary>
public sealed class SocketOutbox : GraphStageWithMaterializedValue<SourceShape<object>, Task<IActorRef>>
{
    private readonly int _maxBuffer;

    public SocketOutbox(int maxBuffer)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBuffer);
        _maxBuffer = maxBuffer;
        Shape = new SourceShape<object>(Out);
    }

    public Outlet<object> Out { get; } = new("socket-outbox.out");

    public override SourceShape<object> Shape { get; }

    public override ILogicAndMaterializedValue<Task<IActorRef>> CreateLogicAndMaterializedValue(Attributes inheritedAttributes)
    {
        var reference = new TaskCompletionSource<IActorRef>(TaskCreationOptions.RunContinuationsAsynchronously);
        return new LogicAndMaterializedValue<Task<IActorRef>>(new Logic(this, reference), reference.Task);
    }

    private sealed class Logic : OutGraphStageLogic
    {
        private readonly SocketOutbox _stage;
        private readonly TaskCompletionSource<IActorRef> _reference;

        /// <summary>Messages told and not yet taken; a <see cref="FrameBatch"/> counts as one.</summary>
        private readonly Queue<object> _waiting = new();

        /// <summary>The batch going out, frame by frame, and the index of its next frame.</summary>
        private IReadOnlyList<ServerFrame>? _batch;
        private int _next;
        private bool _completing;

        public Logic(SocketOutbox stage, TaskCompletionSource<IActorRef> reference)
            : base(stage.Shape)
        {
            _stage = stage;
            _reference = reference;
            SetHandler(stage.Out, this);
        }

        private bool Drained => _batch is null && _waiting.Count == 0;

        /// <summary>
        /// Frames of the batch going out not yet taken. Live messages that queue behind a replay wait for the server,
        /// not for a slow client, so the batch's remainder is added to what may wait.
        /// </summary>
        private int BatchRemaining => _batch is null ? 0 : _batch.Count - _next;

        public override void PreStart() => _reference.TrySetResult(GetStageActor(OnMessage).Ref);

        public override void PostStop() => _reference.TrySetException(new AbruptStageTerminationException(this));

        public override void OnPull()
        {
            if (TryTake(out var next))
            {
                Push(_stage.Out, next);
            }

            if (_completing && Drained)
            {
                CompleteStage();
            }
        }

        private bool TryTake(out object element)
        {
            while (_batch is null && _waiting.TryDequeue(out var message))
            {
                if (message is not FrameBatch batch)
                {
                    element = message;
                    return true;
                }

                if (batch.Frames.Count > 0)
                {
                    (_batch, _next) = (batch.Frames, 0);
                }
            }

            if (_batch is null)
            {
                element = null!;
                return false;
            }

            element = _batch[_next++];
            if (_next == _batch.Count)
            {
                _batch = null;
            }

            return true;
        }

        private void OnMessage((IActorRef Sender, object Message) received)
        {
            switch (received.Message)
            {
                case Status.Success:
                    _completing = true;
                    if (Drained)
                    {
                        CompleteStage();
                    }

                    break;
                case Status.Failure failure:
                    FailStage(failure.Cause);
                    break;
                case Terminated or null:
                    break;
                case not null when _completing:
                    break;
                case { } message when _waiting.Count < _stage._maxBuffer + BatchRemaining:
                    _waiting.Enqueue(message);
                    if (IsAvailable(_stage.Out) && TryTake(out var next))
                    {
                        Push(_stage.Out, next);
                    }

                    break;
                default:
                    FailStage(new BufferOverflowException($"a socket fell more than {_stage._maxBuffer} messages behind"));
                    break;
            }
        }
    }
}
