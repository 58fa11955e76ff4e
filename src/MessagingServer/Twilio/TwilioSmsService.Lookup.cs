using MessagingServer.Domain.Messages;
using MessagingServer.Sms;
using Twilio.Clients;
using Twilio.Exceptions;
using Twilio.Http;
using Twilio.Rest.Api.V2010.Account;
using Twilio.Types;

namespace MessagingServer.Twilio;

/// <summary>
/// Reconciliation's lookup: Twilio's Message list (<c>GET .../Messages.json</c>) through the SDK, filtered by <c>To</c>,
/// <c>From</c> (not with a Messaging Service: Twilio picks the sender) and <c>DateSent&gt;</c> the day of the send, then
/// matched here by body, media count (<c>num_media</c>), sender and creation time. The oldest match wins. A message Twilio still holds as queued may have
/// no send date yet and shows up on a later lookup; the session keeps asking until its window is over.
/// </summary>
public sealed partial class TwilioSmsService
{
    /// <summary>How far Twilio's clock may be behind ours: a message created this long before the send still matches.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(1);

    private const int LookupPageSize = 100;
    private const int LookupLimit = 1000;

    public async Task<LookupOutcome> FindAsync(OutboundSms sms, DateTimeOffset sentAfter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sms);
        cancellationToken.ThrowIfCancellationRequested();
        using var http = _httpClients.CreateClient(HttpClientName);
        var transport = new SystemNetHttpClient(http);
        var client = new TwilioRestClient(_username, _password, accountSid: _options.AccountSid, httpClient: transport);
        await using var cancel = cancellationToken.Register(static h => ((System.Net.Http.HttpClient)h!).CancelPendingRequests(), http);
        var viaService = !string.IsNullOrWhiteSpace(_options.MessagingServiceSid);
        var from = string.IsNullOrWhiteSpace(sms.From) ? _options.From! : sms.From;
        var query = new ReadMessageOptions
        {
            To = new PhoneNumber(sms.To),
            From = viaService ? null : new PhoneNumber(from),
            DateSentAfter = sentAfter.UtcDateTime.Date,
            PageSize = LookupPageSize,
            Limit = LookupLimit,
        };
        try
        {
            var earliest = sentAfter - ClockSkew;
            var mediaCount = sms.Media?.Count ?? 0;
            var matches = new List<MessageResource>();
            foreach (var message in await MessageResource.ReadAsync(query, client))
            {
                if (message.Body == sms.Body
                    && MediaCount(message) == mediaCount
                    && (viaService ? message.MessagingServiceSid == _options.MessagingServiceSid : message.From?.ToString() == from)
                    && message.DateCreated is { } created && new DateTimeOffset(DateTime.SpecifyKind(created, DateTimeKind.Utc)) >= earliest
                    && !string.IsNullOrEmpty(message.Sid))
                {
                    matches.Add(message);
                }
            }

            if (matches.OrderBy(m => m.DateCreated).FirstOrDefault() is not { } found)
            {
                LogLookupNotFound(_logger, sms.MessageId);
                return LookupOutcome.NotFound.Instance;
            }

            var status = MessageStatusExtensions.TryParseWire(found.Status?.ToString(), out var parsed) ? parsed : MessageStatus.Queued;
            var error = found.ErrorCode is { } code and not 0 ? new ProviderError(code.ToString(System.Globalization.CultureInfo.InvariantCulture), found.ErrorMessage ?? "") : null;
            LogLookupFound(_logger, sms.MessageId, found.Sid, status.ToWire());
            return new LookupOutcome.Found(found.Sid, status, error);
        }
        catch (ApiConnectionException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        catch (TwilioException e)
        {
            var status = transport.LastResponse is { } response ? (int)response.StatusCode : 0;
            return new LookupOutcome.Failed(new ProviderError(status == 0 ? "lookup_failed" : $"http_{status}", e.Message));
        }
    }

    /// <summary>
    /// Twilio's <c>num_media</c> (a string in its JSON): an SMS and an MMS with the same body to the same client are two
    /// messages. Absent or unreadable counts as none, as Twilio reports a plain SMS.
    /// </summary>
    private static int MediaCount(MessageResource message) =>
        int.TryParse(message.NumMedia, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count) ? count : 0;

    [LoggerMessage(Level = LogLevel.Information, Message = "Lost answer of SMS {MessageId}: Twilio has it as {ProviderSid} ({MessageStatus})")]
    private static partial void LogLookupFound(ILogger logger, string messageId, string providerSid, string messageStatus);

    [LoggerMessage(Level = LogLevel.Information, Message = "Lost answer of SMS {MessageId}: not in Twilio's message list (yet)")]
    private static partial void LogLookupNotFound(ILogger logger, string messageId);
}
