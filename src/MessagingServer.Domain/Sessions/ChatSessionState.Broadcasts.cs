using MessagingServer.Domain.Broadcasts;
using MessagingServer.Domain.Messages;

namespace MessagingServer.Domain.Sessions;

/// <summary>A broadcast's progress becomes an event of the user's stream, numbered like every other.</summary>
public sealed partial class ChatSessionState
{
    public BroadcastProgressed DecideBroadcastProgress(BroadcastProgress progress, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(progress);
        return new BroadcastProgressed(NextSeq, progress.Id, progress.Total, progress.Sent, progress.Failed, progress.Skipped, progress.Cancelled, now);
    }
}
