using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using MessagingServer.Domain.Messages;
using MessagingServer.Domain.Protocol;
using MessagingServer.Domain.Sessions;
using static MessagingServer.Sessions.ChatSessionCommands;

namespace MessagingServer.Sessions;

/// <summary>
/// A repeated clientRef whose first send is no longer in memory (a busy session keeps only its newest sends): the
/// first send is read back from the journal, and answers the repeat as it would from memory. Sends stay in order:
/// the next one waits until this one is decided.
/// </summary>
public sealed partial class ChatSessionActor
{
    private void ReadFirstSend(SendConsentGate.Waiting waiting, long seq)
    {
        new StoredEvents(Context.System).After(UserId, seq - 1)
            .Take(1)
            .CompletionTimeout(_options.SessionAskTimeout)
            .RunWith(Sink.FirstOrDefault<ISequencedEvent>(), Context.Materializer())
            .PipeTo(Self, success: e => new FirstSendRead(waiting, e as OutboundAccepted, Failed: false), failure: _ => new FirstSendRead(waiting, null, Failed: true));
    }

    private void OnFirstSendRead(FirstSendRead read)
    {
        if (!ReferenceEquals(read.Waiting, _consent.Checking))
        {
            return;
        }

        var send = read.Waiting.Send;
        if (read.Failed)
        {
            // Unknown whether it went: sending again could text the client twice, so nothing is sent and the client retries.
            read.Waiting.ReplyTo.Tell(new SendResult.Rejected(ErrorCodes.Unavailable, "storage is unavailable; the message was not sent", send.ClientRef));
            CheckNextSend();
            return;
        }

        if (ChatSessionState.DecideReadBack(send.ClientRef!, read.Found) is SendDecision.Duplicate { First: var first })
        {
            read.Waiting.ReplyTo.Tell(new SendResult.Accepted(first.Id, first.Seq, Duplicate: true, ToFrame(first)));
            CheckNextSend();
            return;
        }

        AskConsent(read.Waiting);
    }

    private sealed record FirstSendRead(SendConsentGate.Waiting Waiting, OutboundAccepted? Found, bool Failed) : INoSerializationVerificationNeeded;
}
