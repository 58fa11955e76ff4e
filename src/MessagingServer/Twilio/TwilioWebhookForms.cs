using System.Globalization;
using MessagingServer.Domain;
using MessagingServer.Domain.Messages;
using MessagingServer.Domain.Protocol;
using MessagingServer.Sms;

namespace MessagingServer.Twilio;

/// <summary>What a webhook form said: a value to pass on, a problem to answer with 400, or nothing to do.</summary>
public sealed record TwilioWebhookParse<T>(T? Value, string? ProblemCode = null, string? Problem = null)
    where T : class
{
    public static TwilioWebhookParse<T> Invalid(string code, string problem) => new(null, code, problem);

    public static TwilioWebhookParse<T> Nothing { get; } = new((T?)null);
}

/// <summary>Reads Twilio's webhook forms into <see cref="InboundSms"/> and <see cref="StatusReport"/>.</summary>
public static class TwilioWebhookForms
{
    /// <summary>Media links taken from one inbound message (Twilio sends at most 10).</summary>
    public const int MaxMedia = 10;

    public const int MaxMessageIdLength = 128;

    /// <summary>
    /// <c>From</c>, <c>To</c> (numbers or short codes), <c>MessageSid</c> (a Twilio SID) required; <c>Body</c> may be
    /// empty (a picture alone) and holds at most 1,600 characters; <c>MediaUrl0..N</c> by <c>NumMedia</c>, each an
    /// https link (see <see cref="TwilioWebhookFields"/>). Anything else is a problem: nothing is passed on.
    /// </summary>
    public static TwilioWebhookParse<InboundSms> ReadInbound(IFormCollection form, string? correlationId)
    {
        ArgumentNullException.ThrowIfNull(form);
        foreach (var field in (ReadOnlySpan<string>)["From", "To", "MessageSid"])
        {
            if (string.IsNullOrWhiteSpace(form[field]))
            {
                return TwilioWebhookParse<InboundSms>.Invalid(ErrorCodes.MissingField, $"{field} is required");
            }
        }

        foreach (var field in (ReadOnlySpan<string>)["From", "To"])
        {
            if (!TwilioWebhookFields.IsAddress(form[field]))
            {
                return TwilioWebhookParse<InboundSms>.Invalid(ErrorCodes.InvalidField, $"{field} is not a phone number (E.164) or a short code");
            }
        }

        if (!TwilioWebhookFields.IsMessageSid(form["MessageSid"]))
        {
            return TwilioWebhookParse<InboundSms>.Invalid(ErrorCodes.InvalidField, "MessageSid is not a message id (2 to 64 ASCII letters and digits)");
        }

        if (form["Body"].ToString().Length > TwilioWebhookFields.MaxBodyLength)
        {
            return TwilioWebhookParse<InboundSms>.Invalid(ErrorCodes.BodyTooLong, $"Body is over {TwilioWebhookFields.MaxBodyLength} characters");
        }

        var count = int.TryParse(form["NumMedia"], NumberStyles.None, CultureInfo.InvariantCulture, out var numMedia)
            ? Math.Min(numMedia, MaxMedia)
            : 0;
        var media = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var url = form[$"MediaUrl{i.ToString(CultureInfo.InvariantCulture)}"].ToString();
            if (string.IsNullOrWhiteSpace(url))
            {
                continue;
            }

            if (!TwilioWebhookFields.IsMediaUrl(url))
            {
                return TwilioWebhookParse<InboundSms>.Invalid(ErrorCodes.InvalidField, $"MediaUrl{i.ToString(CultureInfo.InvariantCulture)} is not an https link");
            }

            media.Add(url);
        }

        return new(new InboundSms(form["From"].ToString(), form["To"].ToString(), form["Body"].ToString(), media, form["MessageSid"].ToString(), correlationId));
    }

    /// <summary>
    /// Query <c>u</c> (user) and <c>m</c> (our message id) from the callback URL we gave Twilio; form
    /// <c>MessageStatus</c>, <c>ErrorCode</c>, <c>ErrorMessage</c>, <c>MessageSid</c>. A status we don't track
    /// (e.g. <c>partially_delivered</c>) is <see cref="TwilioWebhookParse{T}.Nothing"/>.
    /// </summary>
    public static TwilioWebhookParse<StatusReport> ReadStatus(IQueryCollection query, IFormCollection form, string? correlationId)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(form);
        string? user = query["u"];
        string? messageId = query["m"];
        string? status = form["MessageStatus"];
        if (string.IsNullOrEmpty(user) || string.IsNullOrEmpty(messageId))
        {
            return TwilioWebhookParse<StatusReport>.Invalid(ErrorCodes.MissingField, "the callback URL must carry u (user) and m (message id)");
        }

        if (!UserId.TryParse(user, out _) || messageId.Length > MaxMessageIdLength)
        {
            return TwilioWebhookParse<StatusReport>.Invalid(ErrorCodes.InvalidField, "u or m is not a valid id");
        }

        if (string.IsNullOrWhiteSpace(status))
        {
            return TwilioWebhookParse<StatusReport>.Invalid(ErrorCodes.MissingField, "MessageStatus is required");
        }

        if (!MessageStatusExtensions.TryParseWire(status, out var parsed))
        {
            return TwilioWebhookParse<StatusReport>.Nothing;
        }

        string? errorCode = form["ErrorCode"];
        string? errorMessage = form["ErrorMessage"];
        var error = string.IsNullOrWhiteSpace(errorCode)
            ? null
            : new ProviderError(errorCode, string.IsNullOrWhiteSpace(errorMessage) ? $"Twilio error {errorCode}" : errorMessage);
        string? providerSid = form["MessageSid"];
        if (string.IsNullOrEmpty(providerSid))
        {
            providerSid = form["SmsSid"];
        }

        if (!string.IsNullOrEmpty(providerSid) && !TwilioWebhookFields.IsMessageSid(providerSid))
        {
            return TwilioWebhookParse<StatusReport>.Invalid(ErrorCodes.InvalidField, "MessageSid is not a message id (2 to 64 ASCII letters and digits)");
        }

        return new(new StatusReport(user, messageId, parsed, error, string.IsNullOrEmpty(providerSid) ? null : providerSid, correlationId));
    }
}
