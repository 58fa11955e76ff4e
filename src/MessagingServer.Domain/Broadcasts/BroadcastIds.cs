using System.Security.Cryptography;
using System.Text;

namespace MessagingServer.Domain.Broadcasts;

/// <summary>
/// Broadcast ids: derived from (user, clientRef) when a clientRef is given, so a repeated request reaches the first
/// broadcast wherever and whenever it is made (no lookup table); random otherwise. Both are <c>b</c> and 32 hex digits.
/// </summary>
public static class BroadcastIds
{
    public const int Length = 33;

    public static string For(string userId, string? clientRef)
    {
        if (clientRef is null)
        {
            return "b" + Guid.CreateVersion7().ToString("N");
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{userId}\n{clientRef}"));
        return "b" + Convert.ToHexStringLower(hash)[..32];
    }

    /// <summary>Only ids this server makes: anything else is answered "not found" without touching storage.</summary>
    public static bool IsWellFormed(string? id) =>
        id is { Length: Length } && id[0] == 'b' && !id.AsSpan(1).ContainsAnyExcept("0123456789abcdef");

    /// <summary>The clientRef of one recipient's send: the session's dedup answers a repeat of it with the first send.</summary>
    public static string RecipientClientRef(string broadcastId, int index) => $"bc:{broadcastId}:{index}";
}
