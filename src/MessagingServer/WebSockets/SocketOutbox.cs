using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Stage;

namespace MessagingServer.WebSockets;

/// <summary>
/// The head of a socket's outgoing stream: an actor ref that sessions tell frames to, which is the stage's own
/// (a function ref on the stream's actor) rather than an actor of its own. Up to <c>maxBuffer</c> messages wait
/// for the socket; one more fails the stream with <see cref="BufferOverflowException"/> (the bridge closes 1013).
/// <see cref="Status.Success"/> completes it once what waits has gone out; <see cref="Status.Failure"/> fails it.
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
        private readonly Queue<object> _waiting = new();
        private bool _completing;

        public Logic(SocketOutbox stage, TaskCompletionSource<IActorRef> reference)
            : base(stage.Shape)
        {
            _stage = stage;
            _reference = reference;
            SetHandler(stage.Out, this);
        }

        public override void PreStart() => _reference.TrySetResult(GetStageActor(OnMessage).Ref);

        public override void PostStop() => _reference.TrySetException(new AbruptStageTerminationException(this));

        public override void OnPull()
        {
            if (_waiting.TryDequeue(out var next))
            {
                Push(_stage.Out, next);
            }

            if (_completing && _waiting.Count == 0)
            {
                CompleteStage();
            }
        }

        private void OnMessage((IActorRef Sender, object Message) received)
        {
            switch (received.Message)
            {
                case Status.Success:
                    _completing = true;
                    if (_waiting.Count == 0)
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
                case { } message when _waiting.Count == 0 && IsAvailable(_stage.Out):
                    Push(_stage.Out, message);
                    break;
                case { } message when _waiting.Count < _stage._maxBuffer:
                    _waiting.Enqueue(message);
                    break;
                default:
                    FailStage(new BufferOverflowException($"a socket fell more than {_stage._maxBuffer} messages behind"));
                    break;
            }
        }
    }
}
