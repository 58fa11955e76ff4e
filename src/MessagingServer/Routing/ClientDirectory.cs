using System.Collections.Concurrent;

namespace MessagingServer.Routing;

/// <summary>
/// Which user last messaged each client number, so a reply finds its way back. A session claims a number when
/// it sends to it, and again (with the send's time) when it recovers its history; the later claim wins, whatever
/// order they arrive in. Changes go to the store (<see cref="ClientDirectoryActor"/>), which writes them to the
/// journal and reloads the whole directory when the server starts, before it takes traffic.
/// <para>
/// What is stored: every change of hands (the journal then always holds the time of each number's latest
/// change, which any other user's older claim loses to), and a user's first send to a number in each run of
/// the server, so that the stored time is never older than this run. The same user's later sends change no
/// route and are not stored; neither is a session's history unless it changes hands (which fills the
/// directory from sessions written before it was stored).
/// </para>
/// </summary>
public sealed class ClientDirectory
{
    private readonly ConcurrentDictionary<string, Entry> _claims = new(StringComparer.Ordinal);
    private Action<ClientClaimed>? _store;

    public int Count => _claims.Count;

    public string? LastUserOf(string clientNumber) =>
        _claims.TryGetValue(clientNumber, out var entry) ? entry.Claim.UserId : null;

    /// <summary>A send happening now: <paramref name="userId"/> messages <paramref name="clientNumber"/> at <paramref name="at"/>.</summary>
    public void Claim(string clientNumber, string userId, DateTimeOffset at) =>
        Offer(new ClientClaimed(clientNumber, userId, at), live: true);

    /// <summary>A send read back from a session's history while it recovers.</summary>
    public void ClaimFromHistory(string clientNumber, string userId, DateTimeOffset at) =>
        Offer(new ClientClaimed(clientNumber, userId, at), live: false);

    /// <summary>A claim read back from storage: applied like <see cref="Claim"/>, not stored again.</summary>
    public void Restore(ClientClaimed claim)
    {
        ArgumentNullException.ThrowIfNull(claim);
        TrySet(claim, storedThisRun: false);
    }

    public ClientClaimed[] All() => [.. _claims.Values.Select(e => e.Claim)];

    /// <summary>From now on every change goes to <paramref name="store"/>.</summary>
    public void StoreWith(Action<ClientClaimed> store) => Volatile.Write(ref _store, store);

    /// <summary>Applies a claim and stores it when it changes hands or is a live send's first this run (only live claims can be).</summary>
    private void Offer(ClientClaimed claim, bool live)
    {
        if (TrySet(claim, storedThisRun: live) is Outcome.ChangedHands or Outcome.FirstThisRun)
        {
            Volatile.Read(ref _store)?.Invoke(claim);
        }
    }

    private Outcome TrySet(ClientClaimed claim, bool storedThisRun)
    {
        var entry = new Entry(claim, storedThisRun);
        while (true)
        {
            if (!_claims.TryGetValue(claim.ClientNumber, out var current))
            {
                if (_claims.TryAdd(claim.ClientNumber, entry))
                {
                    return Outcome.ChangedHands;
                }

                continue;
            }

            if (claim.At <= current.Claim.At)
            {
                return Outcome.Unchanged;
            }

            var sameUser = claim.UserId == current.Claim.UserId;
            if (_claims.TryUpdate(claim.ClientNumber, entry with { StoredThisRun = storedThisRun || (sameUser && current.StoredThisRun) }, current))
            {
                return !sameUser ? Outcome.ChangedHands
                    : storedThisRun && !current.StoredThisRun ? Outcome.FirstThisRun
                    : Outcome.Later;
            }
        }
    }

    private sealed record Entry(ClientClaimed Claim, bool StoredThisRun);

    private enum Outcome
    {
        Unchanged,
        Later,
        FirstThisRun,
        ChangedHands,
    }
}
