using System.Collections.Concurrent;

namespace MessagingServer.Routing;

/// <summary>
/// Which user last messaged each client number, so a reply finds its way back. Sessions claim a number
/// when they send to it (and again when they recover their history).
/// </summary>
public sealed class ClientDirectory
{
    private readonly ConcurrentDictionary<string, string> _lastUser = new(StringComparer.Ordinal);

    public void Claim(string clientNumber, string userId) => _lastUser[clientNumber] = userId;

    public string? LastUserOf(string clientNumber) => _lastUser.GetValueOrDefault(clientNumber);
}
