using Akka.Actor;
using Akka.Cluster.Sharding;
using MessagingServer.Domain.Messages;
using MessagingServer.Domain.Protocol;
using MessagingServer.Sms;

namespace MessagingServer.Senders;

/// <summary>
/// One sender number (or Messaging Service): the only place that calls the provider for it, one entity cluster-wide,
/// so N nodes together never exceed its rate. A send's turn comes from the <see cref="SenderQueue"/>; the sender
/// then asks the message's session to store "call started" (<see cref="StartCall"/>) and calls only once that is
/// stored (<see cref="CallCleared"/>): a send whose call never started is never reported unknown. The answer goes
/// back to the session as a <see cref="DispatchResult"/>, and again whenever the session asks for the same id.
/// </summary>
public sealed partial class SenderActor : ReceiveActor, IWithTimers
{
    private const string PumpTimer = "pump";

    private readonly string _sender;
    private readonly SenderDependencies _dependencies;
    private readonly SenderQueue _queue;
    private readonly ILogger _logger;
    private bool _stopping;

    public SenderActor(string sender, SenderDependencies dependencies)
    {
        _sender = sender;
        _dependencies = dependencies;
        _queue = new SenderQueue(dependencies.Limits);
        _logger = dependencies.Logs.CreateLogger<SenderActor>();

        Receive<DispatchSms>(OnDispatch);
        Receive<CallCleared>(OnCleared);
        Receive<CallFinished>(OnFinished);
        Receive<ClearanceTimedOut>(t =>
        {
            if (_queue.Abandon(t.MessageId))
            {
                LogClearanceTimedOut(_logger, t.MessageId, _sender);
            }

            Pump();
        });
        Receive<Tick>(_ => Pump());
        Receive<StopSender>(_ =>
        {
            _stopping = true;
            StopWhenSettled();
        });
        Receive<ReceiveTimeout>(_ =>
        {
            if (_queue.IsIdle)
            {
                Context.Parent.Tell(new Passivate(StopSender.Instance));
            }
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string sender, SenderDependencies dependencies) =>
        Akka.Actor.Props.Create(() => new SenderActor(sender, dependencies));

    protected override void PreStart() => UpdateIdleTimer();

    private void OnDispatch(DispatchSms dispatch)
    {
        if (dispatch.OutcomeOnly)
        {
            switch (_queue.StageOf(dispatch.MessageId))
            {
                case SenderStage.Done:
                    Reply(dispatch, _queue.OutcomeOf(dispatch.MessageId)!);
                    break;
                case SenderStage.Unknown:
                    // The call started elsewhere or before this sender's memory: nobody here knows how it ended.
                    Reply(dispatch, new SendOutcome.Unknown(new ProviderError("provider_error", "the call was started but its answer was lost (the server stopped)")));
                    break;

                // Otherwise it is under way here: the answer follows when it ends.
            }

            return;
        }

        switch (_queue.Enqueue(dispatch))
        {
            case SenderStage.Done:
                Reply(dispatch, _queue.OutcomeOf(dispatch.MessageId)!);
                break;
            case SenderStage.Unknown:
                LogQueueFull(_logger, dispatch.MessageId, _sender, _dependencies.Limits.MaxQueued);
                Reply(dispatch, new SendOutcome.Rejected(new ProviderError(
                    ErrorCodes.RateLimited, $"Too many messages are waiting for this sender (over {_dependencies.Limits.MaxQueued}); try again later.")));
                break;
        }

        Pump();
    }

    private void OnCleared(CallCleared cleared)
    {
        Timers.Cancel(ClearanceKey(cleared.MessageId));
        if (!cleared.Go)
        {
            _queue.Abandon(cleared.MessageId);
        }
        else if (_queue.Clear(cleared.MessageId) is { } request)
        {
            Call(request);
        }

        Pump();
    }

    private void Call(DispatchSms request)
    {
        var sms = new OutboundSms(request.UserId, request.MessageId, _sender, request.To, request.Body, request.CorrelationId, request.Media);
        Task<SendOutcome> call;
        try
        {
            call = _dependencies.Provider.SendAsync(sms, CancellationToken.None);
        }
        catch (Exception e)
        {
            call = Task.FromException<SendOutcome>(e);
        }

        call.PipeTo(
            Self,
            success: outcome => new CallFinished(request.MessageId, outcome),
            failure: e => new CallFinished(request.MessageId, new SendOutcome.Unknown(new ProviderError("provider_error", e.Message))));
    }

    private void OnFinished(CallFinished finished)
    {
        if (_queue.Complete(finished.MessageId, finished.Outcome, _dependencies.Clock.GetUtcNow()) is { } request)
        {
            Reply(request, finished.Outcome);
        }

        StopWhenSettled();
        Pump();
    }

    /// <summary>Gives every turn that is due, and wakes itself for the next one.</summary>
    private void Pump()
    {
        var wait = TimeSpan.Zero;
        while (!_stopping && _queue.TryTake(_dependencies.Clock.GetUtcNow(), out wait) is { } next)
        {
            _dependencies.Sessions().Tell(new StartCall(next.UserId, _sender, next.MessageId));
            Timers.StartSingleTimer(ClearanceKey(next.MessageId), new ClearanceTimedOut(next.MessageId), _dependencies.Limits.ClearanceTimeout);
        }

        if (wait > TimeSpan.Zero)
        {
            Timers.StartSingleTimer(PumpTimer, Tick.Instance, wait);
        }

        UpdateIdleTimer();
    }

    private void Reply(DispatchSms request, SendOutcome outcome) =>
        _dependencies.Sessions().Tell(DispatchResult.From(request.UserId, request.MessageId, outcome));

    /// <summary>Hand-off or passivation: waiting sends are dropped (their sessions ask again); calls under way finish first.</summary>
    private void StopWhenSettled()
    {
        if (_stopping && _queue.InFlight == 0)
        {
            Context.Stop(Self);
        }
    }

    private void UpdateIdleTimer() => Context.SetReceiveTimeout(_queue.IsIdle ? _dependencies.Limits.IdleTimeout : null);

    private static string ClearanceKey(string messageId) => "clear-" + messageId;

    [LoggerMessage(Level = LogLevel.Warning, Message = "SMS {MessageId} refused: over {QueueLimit} sends already wait for sender {Sender}")]
    private static partial void LogQueueFull(ILogger logger, string messageId, string sender, int queueLimit);

    [LoggerMessage(Level = LogLevel.Information, Message = "SMS {MessageId}: its session did not confirm the call start for sender {Sender}; not sent now, the session asks again")]
    private static partial void LogClearanceTimedOut(ILogger logger, string messageId, string sender);

    private sealed record CallFinished(string MessageId, SendOutcome Outcome);

    private sealed record ClearanceTimedOut(string MessageId);

    private sealed class Tick
    {
        public static readonly Tick Instance = new();
    }

    /// <summary>From the shard (hand-off) or itself (idle): stop once no call is under way.</summary>
    public sealed class StopSender
    {
        public static readonly StopSender Instance = new();

        private StopSender()
        {
        }
    }
}
