using System.Collections.Concurrent;

namespace MessagingServer.Routing;

/// <summary>
/// Which user last messaged each client number, so a reply finds its way back. A session claims a number when
/// it sends to it, and again (with the send's time) when it recovers its history; the later claim wins, whatever
/// order they arrive in. Changes go to the store (<see cref="ClientDirectoryActor"/>), which writes them to the
/// journal and reloads the whole directory when the server starts, before it takes traffic.
/// <para>
/// A live send stores a claim only when the number changes hands (the same user's next send changes no route).
/// A claim from history is also stored when it is later than what is known: that brings the stored time up to
/// date, and fills the directory from sessions written before it existed.
/// </para>
/// </summary>
public sealed class ClientDirectory
{
    private readonly ConcurrentDictionary<string, ClientClaimed> _claims = new(StringComparer.Ordinal);
    private Action<ClientClaimed>? _store;

    public int Count => _claims.Count;

    public string? LastUserOf(string clientNumber) =>
        _claims.TryGetValue(clientNumber, out var claim) ? claim.UserId : null;

    /// <summary>A send happening now: <paramref name="userId"/> messages <paramref name="clientNumber"/> at <paramref name="at"/>.</summary>
    public void Claim(string clientNumber, string userId, DateTimeOffset at)
    {
        var claim = new ClientClaimed(clientNumber, userId, at);
        if (TrySet(claim) == Outcome.ChangedHands)
        {
            Volatile.Read(ref _store)?.Invoke(claim);
        }
    }

    /// <summary>A send read back from a session's history while it recovers.</summary>
    public void ClaimFromHistory(string clientNumber, string userId, DateTimeOffset at)
    {
        var claim = new ClientClaimed(clientNumber, userId, at);
        if (TrySet(claim) != Outcome.Unchanged)
        {
            Volatile.Read(ref _store)?.Invoke(claim);
        }
    }

    /// <summary>A claim read back from storage: applied like <see cref="Claim"/>, not stored again.</summary>
    public void Restore(ClientClaimed claim)
    {
        ArgumentNullException.ThrowIfNull(claim);
        TrySet(claim);
    }

    public ClientClaimed[] All() => [.. _claims.Values];

    /// <summary>From now on every change goes to <paramref name="store"/>.</summary>
    public void StoreWith(Action<ClientClaimed> store) => Volatile.Write(ref _store, store);

    private Outcome TrySet(ClientClaimed claim)
    {
        while (true)
        {
            if (!_claims.TryGetValue(claim.ClientNumber, out var current))
            {
                if (_claims.TryAdd(claim.ClientNumber, claim))
                {
                    return Outcome.ChangedHands;
                }

                continue;
            }

            if (claim.At <= current.At)
            {
                return Outcome.Unchanged;
            }

            if (_claims.TryUpdate(claim.ClientNumber, claim, current))
            {
                return claim.UserId == current.UserId ? Outcome.Later : Outcome.ChangedHands;
            }
        }
    }

    private enum Outcome
    {
        Unchanged,
        Later,
        ChangedHands,
    }
}
