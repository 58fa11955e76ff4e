using Akka.Hosting;
using MessagingServer.ClientNumbers;
using MessagingServer.Domain.Messages;
using MessagingServer.Sms;
using Microsoft.Extensions.Options;

namespace MessagingServer.Routing;

/// <summary>
/// Who gets an inbound SMS: the owner of the number it was sent to; else the user who last messaged the sender
/// (asked of the sender's <see cref="ClientNumberActor"/>, on whichever node it lives); else
/// <see cref="RoutingOptions.FallbackUser"/>. A STOP or START is stored in the sender's client number first, for
/// the number it was sent to, so it holds for every user who sends from that number.
/// </summary>
public sealed partial class InboundRouter(
    SenderNumbers numbers,
    IRequiredActor<ClientNumberRegistry> clientNumbers,
    IOptions<RoutingOptions> routing,
    IOptions<ClientNumberOptions> options,
    TimeProvider clock,
    ILogger<InboundRouter> logger)
{
    /// <summary>The user for <paramref name="sms"/>, once its consent keyword (if any) is stored; null when the client number could not answer.</summary>
    public async Task<string?> UserForAsync(InboundSms sms, CancellationToken cancellationToken)
    {
        var region = await clientNumbers.GetAsync(cancellationToken);
        var timeout = options.Value.AskTimeout;
        var intent = OptOutKeywords.Classify(sms.Body);
        if (intent != OptOutIntent.None)
        {
            var consent = new ClientNumberCommands.SetConsent(sms.From, sms.To, intent == OptOutIntent.OptOut, clock.GetUtcNow());
            if (await region.AskOrNullAsync<ConsentReply>(consent, timeout, cancellationToken) is null)
            {
                LogUnavailable(logger, sms.From, "store its consent");
                return null;
            }
        }

        if (numbers.OwnerOf(sms.To) is { } owner)
        {
            return owner;
        }

        var writer = await region.AskOrNullAsync<LastWriterReply>(new ClientNumberCommands.GetLastWriter(sms.From), timeout, cancellationToken);
        if (writer is null)
        {
            LogUnavailable(logger, sms.From, "find who last wrote to it");
            return null;
        }

        return writer.UserId ?? routing.Value.FallbackUser;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Inbound SMS from {ClientNumber}: could not {Step}; answered unavailable so the provider retries")]
    private static partial void LogUnavailable(ILogger logger, string clientNumber, string step);
}
