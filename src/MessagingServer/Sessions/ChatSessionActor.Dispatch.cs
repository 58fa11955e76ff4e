using MessagingServer.ClientNumbers;
using Akka.Actor;
using Akka.Event;
using MessagingServer.Domain.Messages;
using MessagingServer.Domain.Sessions;
using MessagingServer.Senders;
using MessagingServer.Sms;

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
        if (_awaiting.TryAdd(message.Id, correlationId))
        {
            _metrics.SmsQueued();
        }

        DeferAsync(message, m => TellSender(m, correlationId, outcomeOnly));
        ScheduleRetry();
    }

    private void TellSender(OutboundAccepted message, string? correlationId, bool outcomeOnly) =>
        _senderRegion().Tell(new DispatchSms(message.From, UserId, message.Id, message.To, message.Body, correlationId, outcomeOnly));

    /// <summary>The sender's turn for this send has come: store "call started", then let it call. Anything else: it must not call.</summary>
    private void OnStartCall(StartCall start)
    {
        var record = _state.FindOutbound(start.MessageId);
        if (record is null || record.Dispatched || !record.AwaitsAnswer)
        {
            _senderRegion().Tell(new CallCleared(start.Sender, start.MessageId, Go: false));
            return;
        }

        var started = new DispatchStarted(start.MessageId, Now);
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
        foreach (var (id, correlationId) in _awaiting.ToList())
        {
            var record = _state.FindOutbound(id);
            if (record is null || !record.AwaitsAnswer)
            {
                _awaiting.Remove(id);
                _metrics.SmsDequeued();
                continue;
            }

            TellSender(record.Accepted, correlationId, outcomeOnly: record.Dispatched);
        }

        ScheduleRetry();
        UpdateIdleTimer();
    }

    private void OnDispatchCompleted(DispatchResult result)
    {
        if (!_awaiting.Remove(result.MessageId))
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
            case SendOutcome.Unknown:
                _metrics.SmsFailed(ChatSessionState.OutcomeUnknownCode);
                break;
        }

        UpdateIdleTimer();
        var record = _state.FindOutbound(result.MessageId);
        if (record is null)
        {
            StopWhenSettled();
            return;
        }

        switch (outcome)
        {
            case SendOutcome.Accepted { Status: not MessageStatus.Queued } accepted when record.Status.CanMoveTo(accepted.Status):
                Store(new OutboundStatusChanged(_state.NextSeq, result.MessageId, accepted.Status, null, Now, accepted.ProviderSid));
                break;
            case SendOutcome.Accepted accepted:
                // Stored, not only kept in memory: after a restart the send is known to have gone out.
                var stored = new DispatchAccepted(result.MessageId, accepted.ProviderSid, accepted.Status, Now);
                _state.Apply(stored);
                Write(stored, _ => { });
                break;
            case SendOutcome.Rejected rejected:
                if (rejected.RecipientOptedOut)
                {
                    var optOut = new ClientOptedOut(record.Accepted.From, record.Accepted.To, Now);
                    _state.Apply(optOut);
                    Write(optOut, _ => { });
                    // Where every user's sends are checked (the session's own record is only a local one).
                    _clientNumbers.Tell(new ClientNumberCommands.SetConsent(optOut.Client, optOut.Sender, OptedOut: true, optOut.At), ActorRefs.NoSender);
                }

                if (record.Status.CanMoveTo(MessageStatus.Failed))
                {
                    Store(new OutboundStatusChanged(_state.NextSeq, result.MessageId, MessageStatus.Failed, rejected.Error, Now));
                }

                break;
            case SendOutcome.Unknown unknown when record.Status.CanMoveTo(MessageStatus.Failed):
                _log.Warning("Provider outcome unknown for {MessageId} of {UserId}: {Reason}", result.MessageId, UserId, unknown.Error.Message);
                Store(new OutboundStatusChanged(_state.NextSeq, result.MessageId, MessageStatus.Failed,
                    new ProviderError(ChatSessionState.OutcomeUnknownCode, $"the provider did not answer ({unknown.Error.Message}); not resent to avoid a duplicate SMS"), Now));
                break;
        }

        StopWhenSettled();
    }

    private sealed class RetryDispatch
    {
        public static readonly RetryDispatch Instance = new();
    }
}
