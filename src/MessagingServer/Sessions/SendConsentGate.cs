using Akka.Actor;
using static MessagingServer.Sessions.ChatSessionCommands;

namespace MessagingServer.Sessions;

/// <summary>
/// A session's sends waiting for consent, in order: one at a time is checked with the recipient's client number
/// (<see cref="Checking"/>), the rest wait behind it (per-user sends are rate-limited, so the queue stays short).
/// </summary>
internal sealed class SendConsentGate
{
    private readonly Queue<Waiting> _waiting = new();

    /// <summary>The send whose consent check is in flight, if any.</summary>
    public Waiting? Checking { get; private set; }

    /// <summary>No check in flight and no send waiting: the session may stop.</summary>
    public bool IsIdle => Checking is null && _waiting.Count == 0;

    /// <summary>Queues a send; true when nothing is being checked, so the caller starts the next check now.</summary>
    public bool Enqueue(Send send, IActorRef replyTo)
    {
        _waiting.Enqueue(new Waiting(send, replyTo));
        return Checking is null;
    }

    /// <summary>The next send to check (it becomes <see cref="Checking"/>), or null when none waits.</summary>
    public Waiting? Next() => Checking = _waiting.TryDequeue(out var next) ? next : null;

    /// <summary>Every send not yet answered, in order, to be answered "unavailable" (the session is stopping).</summary>
    public List<Waiting> DrainAll()
    {
        var all = Checking is null ? new List<Waiting>() : [Checking];
        all.AddRange(_waiting);
        _waiting.Clear();
        Checking = null;
        return all;
    }

    /// <summary>A class, not a record: a late answer is matched to its check by reference.</summary>
    internal sealed class Waiting(Send send, IActorRef replyTo)
    {
        public Send Send { get; } = send;

        public IActorRef ReplyTo { get; } = replyTo;
    }
}
