using Akka.Actor;

namespace MessagingServer.Sessions;

/// <summary>
/// Answers to repeats (a send with a known clientRef, a webhook with a known MessageSid, a status already applied)
/// whose first attempt may still be in the journal: a repeat is told "done" only once that write has finished, and
/// "unavailable" if it fails. Answering at once would acknowledge something that a failed write then never stored
/// (one failing row fails a whole journal batch, other sessions' rows included).
/// </summary>
public sealed partial class ChatSessionActor
{
    /// <summary>Repeats waiting for the writes in flight when they came; answered "unavailable" if one fails.</summary>
    private readonly List<(IActorRef ReplyTo, object Reply, object OnFailure)> _repeatsWaiting = [];

    /// <summary>
    /// Tells <paramref name="reply"/> once every write started so far has finished (at once when none is pending),
    /// or <paramref name="onFailure"/> if one of them fails and the session stops.
    /// </summary>
    private void ReplyOnceStored(IActorRef replyTo, object reply, object onFailure)
    {
        if (_pendingWrites == 0)
        {
            replyTo.Tell(reply);
            return;
        }

        var waiting = (replyTo, reply, onFailure);
        _repeatsWaiting.Add(waiting);
        // Runs after the writes before it, in order, and only if they all succeed; the session does not stop before.
        DeferAsync(reply, r =>
        {
            _repeatsWaiting.Remove(waiting);
            replyTo.Tell(r);
            StopWhenSettled();
        });
    }

    /// <summary>A write failed (or the session stops with writes unfinished): no waiting repeat is acknowledged.</summary>
    private void AnswerRepeatsWaiting(bool writesFinished = false)
    {
        foreach (var (replyTo, reply, onFailure) in _repeatsWaiting)
        {
            replyTo.Tell(writesFinished ? reply : onFailure);
        }

        _repeatsWaiting.Clear();
    }
}
