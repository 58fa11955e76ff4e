using Akka.Actor;
using MessagingServer.Broadcasts;
using static MessagingServer.Sessions.ChatSessionCommands;

namespace MessagingServer.Sessions;

/// <summary>
/// Sessions start on demand, so after a crash a session whose sends were stored but never reached the provider (or
/// were being looked up) would wait for its user to come back. A session that sends is listed in the wake index (the
/// broadcast index, cluster-wide) once per run, and leaves it when it stops with every send settled; after a restart
/// or a node loss the index wakes each listed session (<see cref="WakeSession"/>), whose recovery sends what never went.
/// </summary>
public sealed partial class ChatSessionActor
{
    private readonly Func<IActorRef?>? _wakeIndex;

    /// <summary>This run is listed (it asked to be, or the index woke it, so it was).</summary>
    private bool _wakeListed;

    private void ReceiveWakes()
    {
        Command<WakeSession>(_ =>
        {
            _wakeListed = true;
            UpdateIdleTimer();
        });
        Command<BroadcastIndexed>(_ => { });
    }

    private void ListForWake()
    {
        if (!_wakeListed && _wakeIndex?.Invoke() is { } index)
        {
            _wakeListed = true;
            index.Tell(new BroadcastIndexCommands.Index(UserId, BroadcastIndexEntry.SessionWork), Self);
        }
    }

    /// <summary>On stop: leaves the index only when nothing is in flight; otherwise the next run (on any node) is woken.</summary>
    private void UnlistIfSettled()
    {
        if (_wakeListed && _awaiting.Count == 0 && !_state.HasSendsInFlight && _wakeIndex?.Invoke() is { } index)
        {
            index.Tell(new BroadcastIndexCommands.Unindex(UserId, BroadcastIndexEntry.SessionWork), ActorRefs.NoSender);
        }
    }
}
