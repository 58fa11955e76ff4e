using MessagingServer.Security;

namespace MessagingServer.WebSockets;

/// <summary>
/// The socket caps as pure counting (not thread-safe: <see cref="WebSocketConnections"/> holds a lock around it).
/// Sockets of a user and anonymous sockets (<c>/affirm</c>) are two pools: users share
/// <see cref="LimitsOptions.MaxSockets"/>, anonymous sockets <see cref="LimitsOptions.MaxAnonymousSockets"/>, so
/// anonymous sockets never take a user's slot. Across both, one client address may hold
/// <see cref="LimitsOptions.MaxSocketsPerIp"/>.
/// </summary>
public sealed class SocketSlots(LimitsOptions limits)
{
    private readonly Dictionary<string, int> _perUser = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _perAddress = new(StringComparer.Ordinal);

    /// <summary>Slots taken by sockets of a user.</summary>
    public int UserSlots { get; private set; }

    /// <summary>Slots taken by sockets of no user.</summary>
    public int AnonymousSlots { get; private set; }

    public int Total => UserSlots + AnonymousSlots;

    public int OfUser(string userId) => _perUser.GetValueOrDefault(userId);

    public int OfAddress(string address) => _perAddress.GetValueOrDefault(address);

    public SocketAdmission Check(string? userId, string? address)
    {
        if (userId is not null && OfUser(userId) >= limits.MaxSocketsPerUser)
        {
            return SocketAdmission.UserCapReached;
        }

        if (address is not null && OfAddress(address) >= limits.MaxSocketsPerIp)
        {
            return SocketAdmission.AddressCapReached;
        }

        if (userId is null)
        {
            return AnonymousSlots >= limits.MaxAnonymousSockets ? SocketAdmission.AnonymousCapReached : SocketAdmission.Admitted;
        }

        return UserSlots >= limits.MaxSockets ? SocketAdmission.ServerCapReached : SocketAdmission.Admitted;
    }

    public void Take(string? userId, string? address)
    {
        if (userId is null)
        {
            AnonymousSlots++;
        }
        else
        {
            UserSlots++;
            Increment(_perUser, userId);
        }

        if (address is not null)
        {
            Increment(_perAddress, address);
        }
    }

    public void Release(string? userId, string? address)
    {
        if (userId is null)
        {
            AnonymousSlots--;
        }
        else
        {
            UserSlots--;
            Decrement(_perUser, userId);
        }

        if (address is not null)
        {
            Decrement(_perAddress, address);
        }
    }

    private static void Increment(Dictionary<string, int> counts, string key) => counts[key] = counts.GetValueOrDefault(key) + 1;

    private static void Decrement(Dictionary<string, int> counts, string key)
    {
        if (counts.TryGetValue(key, out var count))
        {
            if (count <= 1)
            {
                counts.Remove(key);
            }
            else
            {
                counts[key] = count - 1;
            }
        }
    }
}
