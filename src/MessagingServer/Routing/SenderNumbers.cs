using Microsoft.Extensions.Options;

namespace MessagingServer.Routing;

/// <summary>The number a user's SMS go out from: the first number the user owns, else the default.</summary>
public sealed class SenderNumbers(IOptions<RoutingOptions> options)
{
    private readonly Dictionary<string, string> _byUser = options.Value.Numbers
        .GroupBy(kv => kv.Value, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.OrderBy(kv => kv.Key, StringComparer.Ordinal).First().Key, StringComparer.Ordinal);

    private readonly string _default = options.Value.DefaultFrom;

    public string For(string userId) => _byUser.GetValueOrDefault(userId, _default);

    public string? OwnerOf(string number) => options.Value.Numbers.GetValueOrDefault(number);
}
