using MessagingServer.Domain.Messages;

namespace MessagingServer.ClientNumbers;

/// <summary>
/// What is known about one client number: who last wrote to it (where its replies go) and which sender numbers
/// it has opted out of (STOP) and not back in (START). Pure: it decides which events to store and applies them;
/// <see cref="ClientNumberActor"/> persists them.
/// </summary>
public sealed class ClientNumberState
{
    private readonly HashSet<string> _optedOutOf = new(StringComparer.Ordinal);

    public ClientNumberState(string clientNumber) => ClientNumber = clientNumber;

    public string ClientNumber { get; }

    /// <summary>The user who last wrote to this client, or null when nobody has.</summary>
    public string? LastWriter { get; private set; }

    /// <summary>When <see cref="LastWriter"/> last wrote, as far as this node knows (stored or not).</summary>
    public DateTimeOffset? LastWrittenAt { get; private set; }

    /// <summary>The time of the stored claim: <see cref="LastWrittenAt"/> as it reads after a restart.</summary>
    public DateTimeOffset? StoredAt { get; private set; }

    public IReadOnlyCollection<string> OptedOutOf => _optedOutOf;

    public bool IsOptedOut(string sender) => _optedOutOf.Contains(sender);

    /// <summary>
    /// <paramref name="userId"/> wrote to this client at <paramref name="at"/>. Returns the claim to store when it
    /// changes hands, or when the stored time is <paramref name="refreshAfter"/> or more older than this one (so a
    /// restarted entity is never far behind); null when there is nothing to store: an older claim than the one
    /// known (it lost), or the same user again soon after (remembered in memory only).
    /// </summary>
    public ClientClaimed? Claim(string userId, DateTimeOffset at, TimeSpan refreshAfter)
    {
        if (LastWrittenAt is { } known && at < known)
        {
            return null;
        }

        if (LastWriter == userId && StoredAt is { } stored && at - stored < refreshAfter)
        {
            LastWrittenAt = at;
            return null;
        }

        return new ClientClaimed(ClientNumber, userId, at);
    }

    /// <summary>The client sent STOP to <paramref name="sender"/> (or the provider said so): null when already opted out.</summary>
    public ClientOptedOut? OptOut(string sender, DateTimeOffset at) =>
        IsOptedOut(sender) ? null : new ClientOptedOut(sender, ClientNumber, at);

    /// <summary>The client sent START to <paramref name="sender"/>: null when not opted out.</summary>
    public ClientOptedIn? OptIn(string sender, DateTimeOffset at) =>
        IsOptedOut(sender) ? new ClientOptedIn(sender, ClientNumber, at) : null;

    public void Apply(object stored)
    {
        switch (stored)
        {
            case ClientClaimed claim:
                LastWriter = claim.UserId;
                LastWrittenAt = claim.At;
                StoredAt = claim.At;
                break;
            case ClientOptedOut optOut:
                _optedOutOf.Add(optOut.Sender);
                break;
            case ClientOptedIn optIn:
                _optedOutOf.Remove(optIn.Sender);
                break;
            default:
                throw new ArgumentException($"{stored.GetType()} is not an event of a client number", nameof(stored));
        }
    }

    public ClientNumberSnapshot ToSnapshot() =>
        new(LastWriter, StoredAt, [.. _optedOutOf.Order(StringComparer.Ordinal)]);

    public static ClientNumberState FromSnapshot(string clientNumber, ClientNumberSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var state = new ClientNumberState(clientNumber)
        {
            LastWriter = snapshot.LastWriter,
            LastWrittenAt = snapshot.LastWrittenAt,
            StoredAt = snapshot.LastWrittenAt,
        };
        state._optedOutOf.UnionWith(snapshot.OptedOutOf);
        return state;
    }
}
