using Akka.Actor;
using MessagingServer.Cluster.Serialization;
using MessagingServer.Domain.Protocol;
using static MessagingServer.Sessions.ChatSessionCommands;

namespace MessagingServer.Sessions;

/// <summary>The session's readers: subscribers (a hub per node, or a lone one) and the sockets behind them, and history queries.</summary>
public sealed partial class ChatSessionActor
{
    /// <summary>Sockets fed, on every node: each socket behind a hub, and each lone subscriber as one.</summary>
    private int SocketCount => _subscribers.Values.Sum(sockets => Math.Max(1, sockets.Count));

    private void OnConnect(Connect connect)
    {
        var (from, journalBefore) = _state.DecideReplay(connect.Since, _storedSeq);
        var welcome = new ServerFrame(0, ServerFrames.Welcome(UserId, _storedSeq, from + 1));
        if (journalBefore is { } oldestInMemory)
        {
            // Older than memory holds: the socket reads those from the journal, then connects again from there.
            Sender.Tell(new Connected(welcome, from + 1, _storedSeq, JournalBefore: oldestInMemory));
            return;
        }

        // Told before subscribing, so the socket sees the welcome, then what it missed, then live events, in order;
        // in a few batches (the socket's buffer counts messages), each small enough to cross nodes in one remote frame.
        var missed = _state.StoredEventsAfter(from, _storedSeq).Select(ToFrame);
        foreach (var batch in FrameBatchChunks.Split(connect.SendWelcome ? missed.Prepend(welcome) : missed))
        {
            connect.Subscriber.Tell(connect.Socket is { } socket ? new ReplayFor(socket, batch, _storedSeq) : batch);
        }

        Sender.Tell(new Connected(welcome, from + 1, _storedSeq));
        Subscribe(connect.Subscriber, _storedSeq);
        if (connect.Socket is not null)
        {
            _subscribers[connect.Subscriber].Add(connect.Socket);
        }
    }

    private void OnDisconnect(Disconnect disconnect)
    {
        if (disconnect.Socket is null)
        {
            Unsubscribe(disconnect.Subscriber);
        }
        else if (_subscribers.TryGetValue(disconnect.Subscriber, out var sockets))
        {
            sockets.Remove(disconnect.Socket);
        }
    }

    private void OnGetHistory(GetHistory query)
    {
        var (since, journalBefore) = _state.DecideReplay(Math.Max(0, query.Since), _storedSeq);
        if (journalBefore is not null)
        {
            // Older than memory holds: the caller pages the journal, up to what is stored now.
            Sender.Tell(new History([], _storedSeq, _state.AckedSeq, FromJournal: true));
            return;
        }

        // As many as fit in one remote message; the caller asks again from the last one.
        Sender.Tell(new History(EventBatchBudget.Take(_state.StoredEventsAfter(since, _storedSeq, query.Limit)), _storedSeq, _state.AckedSeq));
    }

    private void Subscribe(IActorRef subscriber, long lastSent)
    {
        if (_subscribers.TryAdd(subscriber, []))
        {
            Context.Watch(subscriber);
        }

        // After a restart a socket may have missed events stored meanwhile: catch it up from memory.
        foreach (var e in _state.StoredEventsAfter(lastSent, _storedSeq))
        {
            subscriber.Tell(ToFrame(e));
        }

        UpdateIdleTimer();
    }

    private void Unsubscribe(IActorRef subscriber)
    {
        if (_subscribers.Remove(subscriber))
        {
            Context.Unwatch(subscriber);
        }

        UpdateIdleTimer();
    }
}
