using Microsoft.Extensions.Options;

namespace MessagingServer.Routing;

/// <summary>
/// Who gets an inbound SMS: the owner of the number it was sent to; else the user who last messaged
/// the sender; else <see cref="RoutingOptions.FallbackUser"/>. Nothing is ever dropped.
/// </summary>
public sealed class InboundRouter(SenderNumbers numbers, ClientDirectory directory, IOptions<RoutingOptions> options)
{
    public string UserFor(string from, string to) =>
        numbers.OwnerOf(to) ?? directory.LastUserOf(from) ?? options.Value.FallbackUser;
}
