using System.Collections.Concurrent;
using System.Globalization;

namespace MessagingServer.TestSupport.Twilio;

/// <summary>
/// The fake's Message list, <c>GET /2010-04-01/Accounts/{sid}/Messages.json</c>, as the SDK reads it: filters <c>To</c>,
/// <c>From</c>, <c>DateSent</c> (that day), <c>DateSent&gt;</c> and <c>DateSent&lt;</c> (a date or an ISO time),
/// newest first, pages of <c>PageSize</c> (50 by default) linked by <c>next_page_uri</c>. A message's send date is its
/// creation time here (real Twilio sets it once the message leaves its queue). Each message carries <c>num_media</c>, the
/// number of <c>MediaUrl</c> fields it was created with, as Twilio reports it (a string).
/// </summary>
public sealed partial class FakeTwilio
{
    private readonly ConcurrentQueue<Dictionary<string, object?>> _stored = new();
    private readonly ConcurrentQueue<string> _listQueries = new();
    private volatile bool _listUnavailable;

    /// <summary>Every list request's query string, in arrival order.</summary>
    public IReadOnlyList<string> ListQueries => _listQueries.ToArray();

    /// <summary>While true, the list answers 503 (Twilio unreachable for lookups; creating still works).</summary>
    public bool ListUnavailable
    {
        get => _listUnavailable;
        set => _listUnavailable = value;
    }

    private void Keep(string sid, string accountSid, string status, Dictionary<string, string> form, int mediaCount)
    {
        var message = FakeTwilioWire.MessageResource(sid, accountSid, status, form, mediaCount);
        message["date_sent"] = message["date_created"];
        _stored.Enqueue(message);
    }

    private IResult ListMessages(HttpContext context, string accountSid)
    {
        _listQueries.Enqueue(context.Request.QueryString.Value ?? "");
        var (user, secret) = FakeTwilioWire.BasicCredentials(context.Request.Headers.Authorization.ToString());
        if (!((user == AccountSid && secret == AuthToken) || (user == ApiKeySid && secret == ApiKeySecret)))
        {
            return Results.Json(FakeTwilioWire.Error(new FakeTwilioReply.Failure(401, 20003, "Authenticate", null)), statusCode: 401);
        }

        if (_listUnavailable)
        {
            return Results.Json(FakeTwilioWire.Error(new FakeTwilioReply.Failure(503, 20503, "Service Unavailable", null)), statusCode: 503);
        }

        var q = context.Request.Query;
        var pageSize = int.TryParse(q["PageSize"], CultureInfo.InvariantCulture, out var size) ? Math.Clamp(size, 1, 1000) : 50;
        var page = int.TryParse(q["Page"], CultureInfo.InvariantCulture, out var p) ? Math.Max(0, p) : 0;
        var matching = _stored
            .Where(m => (string?)m["account_sid"] == accountSid)
            .Where(m => Matches(q["To"], (string?)m["to"]) && Matches(q["From"], (string?)m["from"]))
            .Where(m => SentWithin(DateTimeOffset.Parse((string)m["date_sent"]!, CultureInfo.InvariantCulture), q["DateSent"], q["DateSent>"], q["DateSent<"]))
            .Reverse()
            .ToList();
        var records = matching.Skip(page * pageSize).Take(pageSize).ToList();
        var path = $"/2010-04-01/Accounts/{accountSid}/Messages.json";
        string PageUri(int n) => $"{path}?PageSize={pageSize}&Page={n}";
        return Results.Json(new Dictionary<string, object?>
        {
            ["messages"] = records,
            ["uri"] = PageUri(page),
            ["first_page_uri"] = PageUri(0),
            ["next_page_uri"] = (page + 1) * pageSize < matching.Count ? PageUri(page + 1) : null,
            ["previous_page_uri"] = page > 0 ? PageUri(page - 1) : null,
            ["page"] = page,
            ["page_size"] = pageSize,
            ["start"] = page * pageSize,
            ["end"] = page * pageSize + Math.Max(0, records.Count - 1),
        });
    }

    private static bool Matches(string? filter, string? value) => string.IsNullOrEmpty(filter) || filter == value;

    private static bool SentWithin(DateTimeOffset sent, string? on, string? after, string? before)
    {
        if (Parse(on) is { } day && sent.UtcDateTime.Date != day.UtcDateTime.Date)
        {
            return false;
        }

        return (Parse(after) is not { } from || sent >= from) && (Parse(before) is not { } to || sent <= to);
    }

    private static DateTimeOffset? Parse(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
}
