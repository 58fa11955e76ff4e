using Akka.Actor;
using MessagingServer.Broadcasts;
using static MessagingServer.Sessions.ChatSessionCommands;

namespace MessagingServer.Sessions;

/// <summary>
/// The session's half of broadcasts: each recipient is an ordinary send (consent, clientRef dedup, storage, its
/// sender), and the broadcast's progress is an event of the user's stream.
/// </summary>
public sealed partial class ChatSessionActor
{
    private void ReceiveBroadcasts()
    {
        Command<BroadcastSend>(OnBroadcastSend);
        Command<RecordBroadcast>(OnRecordBroadcast);
    }

    /// <summary>
    /// Not spent from the user's send budget (that is for interactive sends): the broadcast hands its recipients one
    /// by one at the sender number's own pace, so it never floods the session or the sender's queue.
    /// </summary>
    private void OnBroadcastSend(BroadcastSend send)
    {
        if (_consent.Enqueue(new Send(UserId, send.To, send.Body, send.ClientRef, Media: send.Media.Count > 0 ? send.Media : null), Sender))
        {
            CheckNextSend();
        }
    }

    private void OnRecordBroadcast(RecordBroadcast record)
    {
        var progressed = _state.DecideBroadcastProgress(record.Progress, Now);
        var replyTo = Sender;
        Store(progressed, replyTo, new BroadcastRecorded(false, 0), () => replyTo.Tell(new BroadcastRecorded(true, progressed.Seq)));
    }
}
