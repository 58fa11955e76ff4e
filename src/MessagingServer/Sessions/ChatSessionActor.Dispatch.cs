using Akka.Actor;
using Akka.Event;
using MessagingServer.ClientNumbers;
using MessagingServer.Domain.Messages;
using MessagingServer.Domain.Sessions;
using MessagingServer.Senders;

namespace MessagingServer.Sessions;

/// <summary>
/// The session's half of sending: it hands a stored send to its <see cref="SenderActor"/>, stores "call started" when
/// the sender's turn comes (and only then lets it call), stores the answer, and asks again for sends with no answer.
/// </summary>
public sealed partial class ChatSessionActor
{
    /// <summary>
    /// Gives the send to its sender once everything persisted so far is stored (the send itself included), and asks
    /// again every <see cref="ChatSessionOptions.DispatchRetryInterval"/> until it is answered.
    /// </summary>
    private void Dispatch(OutboundAccepted message, string? correlationId, bool outcomeOnly = false)
    {
        if (_awaiting.Add(message.Id, correlationId))
        {
            _metrics.SmsQueued();
        }

        DeferAsync(message, m => TellSender(m, correlationId, outcomeOnly));
        ScheduleRetry();
    }

    private void TellSender(OutboundAccepted message, string? correlationId, bool outcomeOnly) =>
        _senderRegion().Tell(new DispatchSms(message.From, UserId, message.Id, message.To, message.Body, correlationId, outcomeOnly, message.Media));

    /// <summary>The sender's turn for this send has come: store "call started", then let it call. Anything else: it must not call.</summary>
    private void OnStartCall(StartCall start)
    {
        if (_state.DecideStartCall(start.MessageId, Now) is not { } started)
        {
            _senderRegion().Tell(new CallCleared(start.Sender, start.MessageId, Go: false));
            return;
        }

        _state.Apply(started);
        Write(started, _ => _senderRegion().Tell(new CallCleared(start.Sender, start.MessageId, Go: true)));
    }

    private void ScheduleRetry()
    {
        if (_awaiting.Count > 0 && !Timers.IsTimerActive(nameof(RetryDispatch)))
        {
            Timers.StartSingleTimer(nameof(RetryDispatch), RetryDispatch.Instance, _options.DispatchRetryInterval);
        }
    }

    /// <summary>A request or its answer may have been dropped (a node stopped, a shard moved): ask again, with the same id.</summary>
    private void OnRetryDispatch()
    {
        var again = _awaiting.ToAskAgain(_state, out var settled);
        foreach (var (record, correlationId) in again)
        {
            TellSender(record.Accepted, correlationId, outcomeOnly: record.Dispatched);
        }

        for (var i = 0; i < settled; i++)
        {
            _metrics.SmsDequeued();
        }

        ScheduleRetry();
        UpdateIdleTimer();
    }

    private void OnDispatchCompleted(DispatchResult result)
    {
        if (!_awaiting.Answer(result.MessageId))
        {
            return; // answered already: the second answer to a request asked for twice
        }

        var outcome = result.ToOutcome();
        _metrics.SmsDequeued();
        switch (outcome)
        {
            case SendOutcome.Accepted:
                _metrics.SmsSent();
                break;
            case SendOutcome.Rejected rejected:
                _metrics.SmsFailed(rejected.Error.Code);
                break;
            // Unknown is not a failure (yet): the send is looked up at the provider (ChatSessionActor.Reconcile).
        }

        UpdateIdleTimer();
        var decision = _state.DecideProviderAnswer(result.MessageId, outcome, Now);
        foreach (var e in decision.Events)
        {
            if (e is ReconcileStarted started)
            {
                BeginReconcile(started);
                continue;
            }

            Record(e);
        }

        if (decision.RecipientOptedOut is { } optOut)
        {
            // Where every user's sends are checked (the session's own record is only a local one).
            _clientNumbers.Tell(new ClientNumberCommands.SetConsent(optOut.Client, optOut.Sender, OptedOut: true, optOut.At), ActorRefs.NoSender);
        }

        StopWhenSettled();
    }

    private sealed class RetryDispatch
    {
        public static readonly RetryDispatch Instance = new();
    }
}
