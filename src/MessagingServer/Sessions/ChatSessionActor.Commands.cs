using Akka.Actor;
using MessagingServer.ClientNumbers;
using MessagingServer.Domain.Messages;
using MessagingServer.Domain.Protocol;
using MessagingServer.Domain.Sessions;
using MessagingServer.Sms;
using static MessagingServer.Sessions.ChatSessionCommands;

namespace MessagingServer.Sessions;

/// <summary>The session's commands: each asks <see cref="ChatSessionState"/> what to do, then stores and answers.</summary>
public sealed partial class ChatSessionActor
{
    /// <summary>
    /// A send spends from the user's budget as it arrives (the one session sees every send of its user, from any node);
    /// then every send waits for the ones before it, and each is checked with ClientNumber(to) before it is stored.
    /// </summary>
    private void OnSend(Send send)
    {
        if (_state.AdmitSend(Now) is { } refused)
        {
            Sender.Tell(new SendResult.Rejected(refused.Code, refused.Message, send.ClientRef));
            return;
        }

        if (_consent.Enqueue(send, Sender))
        {
            CheckNextSend();
        }
    }

    private void CheckNextSend()
    {
        while (_consent.Next() is { } next)
        {
            var send = next.Send;
            var decision = _state.DecideSend(send.ClientRef);
            if (decision is SendDecision.ReadFirst { Seq: var seq })
            {
                ReadFirstSend(next, seq);
                return;
            }

            if (decision is SendDecision.Duplicate { First: var first })
            {
                // The first may still be in the journal: acknowledged only once it is stored.
                ReplyOnceStored(
                    next.ReplyTo,
                    new SendResult.Accepted(first.Id, first.Seq, Duplicate: true, ToFrame(first)),
                    new SendResult.Rejected(ErrorCodes.Unavailable, "storage is unavailable; the message was not sent", send.ClientRef));
                continue;
            }

            AskConsent(next);
            return;
        }

        StopWhenSettled();
    }

    /// <summary>The client number is the authority on consent: a STOP received by any user of this sender number counts.</summary>
    private void AskConsent(SendConsentGate.Waiting next) =>
        _clientNumbers.Ask<ConsentReply>(new ClientNumberCommands.CheckConsent(next.Send.To, _senders.For(UserId)), _options.ConsentCheckTimeout)
            .PipeTo(Self, success: reply => new ConsentChecked(next, reply.OptedOut), failure: _ => new ConsentChecked(next, null));

    private void OnConsentChecked(ConsentChecked check)
    {
        if (!ReferenceEquals(check.Waiting, _consent.Checking))
        {
            return;
        }

        var (send, replyTo) = (check.Waiting.Send, check.Waiting.ReplyTo);
        switch (_state.DecideConsented(_senders.For(UserId), send.To, send.Body, send.ClientRef, check.OptedOut, NewId(), Now, send.Media))
        {
            case SendDecision.Refused refused:
                replyTo.Tell(new SendResult.Rejected(refused.Code, refused.Message, send.ClientRef));
                break;
            case SendDecision.Store { Accepted: var accepted }:
                StoreSend(accepted, send.CorrelationId, replyTo);
                break;
        }

        CheckNextSend();
    }

    private void StoreSend(OutboundAccepted accepted, string? correlationId, IActorRef replyTo)
    {
        Store(accepted, replyTo, new SendResult.Rejected(ErrorCodes.Unavailable, "storage is unavailable; the message was not sent", accepted.ClientRef), () =>
        {
            // Replies from this client come to this user now; told with no sender, nothing answers it.
            _clientNumbers.Tell(new ClientNumberCommands.Claim(accepted.To, UserId, accepted.At), ActorRefs.NoSender);
            replyTo.Tell(new SendResult.Accepted(accepted.Id, accepted.Seq, Duplicate: false, ToFrame(accepted)));
        });

        ListForWake();

        // Persisted in the same handler, so both go to the journal in one write; the provider is called only
        // once both are stored (a write that fails stops the session before any callback after it runs).
        Dispatch(accepted, correlationId);
    }

    private void OnAck(Ack ack)
    {
        var decision = _state.DecideAck(ack.Seq, _storedSeq);
        if (decision.Advance is not { } acked)
        {
            Sender.Tell(new AckResult(decision.Accepted, decision.Cursor, decision.Error));
            return;
        }

        _state.Apply(acked);
        var replyTo = Sender;
        _owed.Enqueue((replyTo, new AckResult(false, ack.Seq, "storage is unavailable")));
        Write(acked, _ =>
        {
            _owed.Dequeue();
            replyTo.Tell(new AckResult(true, ack.Seq));
        });
    }

    private void OnInbound(DeliverInbound deliver)
    {
        var sms = deliver.Sms;
        var decision = _state.DecideInbound(sms.From, sms.To, sms.Body, sms.Media, sms.ProviderSid, NewId(), Now);
        if (decision.Duplicate)
        {
            ReplyOnceStored(Sender, IngressResult.Stored, IngressResult.Unavailable);
            return;
        }

        var replyTo = Sender;
        foreach (var e in decision.Events)
        {
            if (e is ISequencedEvent visible)
            {
                Store(visible, replyTo, IngressResult.Unavailable, () => replyTo.Tell(IngressResult.Stored));
            }
            else
            {
                // STOP / START are stored in ClientNumber(from) before this (by the router); kept here as the session's own record.
                _state.Apply(e);
                Write(e, _ => { });
            }
        }
    }

    private void OnStatus(DeliverStatus deliver)
    {
        var report = deliver.Report;
        switch (_state.DecideStatus(report.MessageId, report.Status, report.Error, report.ProviderSid, Now))
        {
            case StatusDecision.UnknownMessage:
                Sender.Tell(IngressResult.Ignored);
                break;
            case StatusDecision.NoChange:
                ReplyOnceStored(Sender, IngressResult.Stored, IngressResult.Unavailable);
                break;
            case StatusDecision.Change { Changed: var changed }:
                var replyTo = Sender;
                Store(changed, replyTo, IngressResult.Unavailable, () => replyTo.Tell(IngressResult.Stored));
                break;
        }
    }
}
