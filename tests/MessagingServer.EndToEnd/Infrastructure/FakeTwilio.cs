using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using MessagingServer.Twilio;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace MessagingServer.EndToEnd.Infrastructure;

/// <summary>
/// A stand-in for Twilio's REST API: a real HTTP server on 127.0.0.1 (OS-chosen port). It checks Basic auth
/// (AccountSid:AuthToken or ApiKeySid:ApiKeySecret) and the form of <c>POST /2010-04-01/Accounts/{sid}/Messages.json</c>,
/// answers in Twilio's JSON shape (201, sid <c>SM</c> + 32 hex, status <c>queued</c>), records every request,
/// and can be scripted to answer 429, 5xx, any error code, or to hang. It also plays Twilio's webhooks:
/// signed inbound SMS and status callbacks. Each instance has its own random account and secrets.
/// </summary>
public sealed class FakeTwilio : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<FakeTwilioReply> _script = new();
    private readonly ConcurrentQueue<FakeTwilioRequest> _requests = new();
    private readonly ConcurrentQueue<string> _created = new();
    private readonly Channel<FakeTwilioRequest> _arrivals = Channel.CreateUnbounded<FakeTwilioRequest>();
    private readonly CancellationTokenSource _stopping = new();

    private FakeTwilio(WebApplication app)
    {
        _app = app;
        Http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
    }

    public string AccountSid { get; } = NewSid("AC");

    public string AuthToken { get; } = RandomNumberGenerator.GetHexString(32, lowercase: true);

    public string ApiKeySid { get; } = NewSid("SK");

    public string ApiKeySecret { get; } = RandomNumberGenerator.GetHexString(32, lowercase: true);

    public string MessagingServiceSid { get; } = NewSid("MG");

    /// <summary>Where the fake listens: the value for <c>Twilio:ApiBaseUrl</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Posts the fake's webhooks (inbound SMS, status callbacks).</summary>
    public HttpClient Http { get; }

    /// <summary>Every request to the Messages resource, in arrival order, including refused ones.</summary>
    public IReadOnlyList<FakeTwilioRequest> Requests => _requests.ToArray();

    /// <summary>Sids of the messages the fake accepted (answered 201).</summary>
    public IReadOnlyList<string> CreatedMessages => _created.ToArray();

    /// <summary>The next request to arrive (requests are queued for this as they come, whether read or not).</summary>
    public async Task<FakeTwilioRequest> NextArrivalAsync(TimeSpan timeout) =>
        await _arrivals.Reader.ReadAsync().AsTask().WaitAsync(timeout);

    public static string NewSid(string prefix) => prefix + RandomNumberGenerator.GetHexString(32, lowercase: true);

    public static async Task<FakeTwilio> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            EnvironmentName = "Testing",
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var fake = new FakeTwilio(app);
        app.MapPost("/2010-04-01/Accounts/{accountSid}/Messages.json", fake.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        fake.BaseAddress = new Uri(address);
        return fake;
    }

    /// <summary>The next answers, in order; once the script runs out, messages are accepted.</summary>
    public void Enqueue(params FakeTwilioReply[] replies)
    {
        foreach (var reply in replies)
        {
            _script.Enqueue(reply);
        }
    }

    /// <summary>Options for a <see cref="TwilioSmsService"/> that talks to this fake.</summary>
    public TwilioOptions Options(string? webhookBaseUrl = null, bool apiKey = false, bool messagingService = false) => new()
    {
        AccountSid = AccountSid,
        AuthToken = AuthToken,
        ApiKeySid = apiKey ? ApiKeySid : null,
        ApiKeySecret = apiKey ? ApiKeySecret : null,
        From = messagingService ? null : "+15550000001",
        MessagingServiceSid = messagingService ? MessagingServiceSid : null,
        ApiBaseUrl = BaseAddress.AbsoluteUri,
        WebhookBaseUrl = webhookBaseUrl,
        RetryBaseDelay = TimeSpan.FromMilliseconds(10),
        RequestTimeout = TimeSpan.FromSeconds(10),
    };

    /// <summary>The same, as <c>Twilio:*</c> settings for a server (e.g. <see cref="RunningServer.StartAsync"/>).</summary>
    public Dictionary<string, string?> ServerSettings(string? webhookBaseUrl = null, bool apiKey = false) => new()
    {
        ["Twilio:AccountSid"] = AccountSid,
        ["Twilio:AuthToken"] = AuthToken,
        ["Twilio:ApiKeySid"] = apiKey ? ApiKeySid : null,
        ["Twilio:ApiKeySecret"] = apiKey ? ApiKeySecret : null,
        ["Twilio:From"] = "+15550000001",
        ["Twilio:ApiBaseUrl"] = BaseAddress.AbsoluteUri,
        ["Twilio:WebhookBaseUrl"] = webhookBaseUrl,
        ["Twilio:RetryBaseDelay"] = "00:00:00.010",
    };

    /// <summary>The form of an inbound-SMS webhook, as Twilio sends it.</summary>
    public static List<KeyValuePair<string, string>> InboundForm(
        string accountSid, string from, string to, string body, IReadOnlyList<string>? media = null, string? messageSid = null)
    {
        var sid = messageSid ?? NewSid("SM");
        media ??= [];
        var form = new List<KeyValuePair<string, string>>
        {
            new("AccountSid", accountSid),
            new("ApiVersion", "2010-04-01"),
            new("MessageSid", sid),
            new("SmsMessageSid", sid),
            new("SmsSid", sid),
            new("SmsStatus", "received"),
            new("From", from),
            new("To", to),
            new("Body", body),
            new("NumSegments", "1"),
            new("NumMedia", media.Count.ToString(CultureInfo.InvariantCulture)),
        };
        for (var i = 0; i < media.Count; i++)
        {
            form.Add(new($"MediaUrl{i}", media[i]));
            form.Add(new($"MediaContentType{i}", "image/jpeg"));
        }

        return form;
    }

    public Task<HttpResponseMessage> PostInboundSmsAsync(
        Uri webhookUrl, string from, string to, string body, IReadOnlyList<string>? media = null, string? messageSid = null,
        string? signedUrl = null, CancellationToken cancellationToken = default) =>
        PostSignedAsync(webhookUrl, InboundForm(AccountSid, from, to, body, media, messageSid), signedUrl, cancellationToken: cancellationToken);

    /// <summary>A status callback to <paramref name="callbackUrl"/> (the <c>StatusCallback</c> a send asked for), signed.</summary>
    public Task<HttpResponseMessage> PostStatusCallbackAsync(
        string callbackUrl, string messageSid, string status, string? errorCode = null, string? errorMessage = null,
        CancellationToken cancellationToken = default)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("AccountSid", AccountSid),
            new("ApiVersion", "2010-04-01"),
            new("MessageSid", messageSid),
            new("SmsSid", messageSid),
            new("MessageStatus", status),
            new("SmsStatus", status),
            new("From", "+15550000001"),
            new("To", "+15550009999"),
        };
        if (errorCode is not null)
        {
            form.Add(new("ErrorCode", errorCode));
        }

        if (errorMessage is not null)
        {
            form.Add(new("ErrorMessage", errorMessage));
        }

        return PostSignedAsync(new Uri(callbackUrl), form, cancellationToken: cancellationToken);
    }

    /// <summary>Posts a form with an <c>X-Twilio-Signature</c> made with <paramref name="authToken"/> (default: ours) over <paramref name="signedUrl"/> (default: <paramref name="url"/>).</summary>
    public async Task<HttpResponseMessage> PostSignedAsync(
        Uri url, IReadOnlyList<KeyValuePair<string, string>> form, string? signedUrl = null, string? authToken = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add(TwilioSignature.HeaderName, TwilioSignature.Compute(authToken ?? AuthToken, signedUrl ?? url.AbsoluteUri, form));
        return await Http.SendAsync(request, cancellationToken);
    }

    private async Task<IResult> HandleAsync(HttpContext context, string accountSid)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var fields = form.ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
        var (user, secret) = BasicCredentials(context.Request.Headers.Authorization.ToString());
        var reply = Check(accountSid, user, secret, fields) ?? (_script.TryDequeue(out var scripted) ? scripted : FakeTwilioReply.Created());
        var recorded = new FakeTwilioRequest(Stopwatch.GetTimestamp(), accountSid, user, secret, fields, reply);
        _requests.Enqueue(recorded);
        _arrivals.Writer.TryWrite(recorded);
        switch (reply)
        {
            case FakeTwilioReply.Hanging:
                using (var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token))
                {
                    await Task.Delay(Timeout.Infinite, linked.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                }

                return Results.Empty;
            case FakeTwilioReply.Success success:
                var sid = NewSid("SM");
                _created.Enqueue(sid);
                return Results.Json(MessageResource(sid, accountSid, success.Status, fields), statusCode: StatusCodes.Status201Created);
            case FakeTwilioReply.Failure failure:
                if (failure.RetryAfterSeconds is { } seconds)
                {
                    context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                }

                return Results.Json(
                    new Dictionary<string, object?>
                    {
                        ["code"] = failure.Code,
                        ["message"] = failure.Message,
                        ["more_info"] = $"https://www.twilio.com/docs/errors/{failure.Code}",
                        ["status"] = failure.HttpStatus,
                    },
                    statusCode: failure.HttpStatus);
            default:
                throw new InvalidOperationException($"unknown reply {reply}");
        }
    }

    /// <summary>What real Twilio refuses before looking at anything else.</summary>
    private FakeTwilioReply? Check(string accountSid, string? user, string? secret, Dictionary<string, string> form)
    {
        var authenticated = (user == AccountSid && secret == AuthToken) || (user == ApiKeySid && secret == ApiKeySecret);
        if (!authenticated)
        {
            return FakeTwilioReply.Error(401, TwilioErrorCodes.AuthenticationFailed, "Authenticate");
        }

        if (accountSid != AccountSid)
        {
            return FakeTwilioReply.Error(404, 20404, "The requested resource was not found");
        }

        if (!form.ContainsKey("To"))
        {
            return FakeTwilioReply.Error(400, 21604, "A 'To' phone number is required.");
        }

        if (string.IsNullOrEmpty(form.GetValueOrDefault("Body")))
        {
            return FakeTwilioReply.Error(400, 21602, "Message body is required.");
        }

        return form.ContainsKey("From") == form.ContainsKey("MessagingServiceSid")
            ? FakeTwilioReply.Error(400, 21603, "Exactly one of 'From' or 'MessagingServiceSid' is required.")
            : null;
    }

    private static Dictionary<string, object?> MessageResource(string sid, string accountSid, string status, Dictionary<string, string> form) => new()
    {
        ["sid"] = sid,
        ["account_sid"] = accountSid,
        ["to"] = form.GetValueOrDefault("To"),
        ["from"] = form.GetValueOrDefault("From"),
        ["messaging_service_sid"] = form.GetValueOrDefault("MessagingServiceSid"),
        ["body"] = form.GetValueOrDefault("Body"),
        ["status"] = status,
        ["direction"] = "outbound-api",
        ["num_segments"] = "1",
        ["error_code"] = null,
        ["error_message"] = null,
        ["date_created"] = DateTimeOffset.UtcNow.ToString("R", CultureInfo.InvariantCulture),
        ["uri"] = $"/2010-04-01/Accounts/{accountSid}/Messages/{sid}.json",
    };

    private static (string? User, string? Secret) BasicCredentials(string header)
    {
        if (!AuthenticationHeaderValue.TryParse(header, out var value) || value.Scheme != "Basic" || value.Parameter is null)
        {
            return (null, null);
        }

        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(value.Parameter));
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? (text, null) : (text[..colon], text[(colon + 1)..]);
        }
        catch (FormatException)
        {
            return (null, null);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        Http.Dispose();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
        _stopping.Dispose();
    }
}

/// <summary>One request to the fake's Messages resource. <see cref="Timestamp"/> is a <see cref="Stopwatch"/> timestamp.</summary>
public sealed record FakeTwilioRequest(
    long Timestamp, string AccountSidInPath, string? AuthUser, string? AuthSecret, IReadOnlyDictionary<string, string> Form, FakeTwilioReply Reply);

/// <summary>What the fake answers to one send.</summary>
public abstract record FakeTwilioReply
{
    public static FakeTwilioReply Created(string status = "queued") => new Success(status);

    /// <summary>429 with Twilio's 20429, and <c>Retry-After</c> when given.</summary>
    public static FakeTwilioReply TooManyRequests(int? retryAfterSeconds = null) =>
        new Failure(429, TwilioErrorCodes.TooManyRequests, "Too Many Requests", retryAfterSeconds);

    public static FakeTwilioReply ServerError(int httpStatus = 500) => new Failure(httpStatus, 20500, "Internal Server Error", null);

    public static FakeTwilioReply Error(int httpStatus, int code, string message) => new Failure(httpStatus, code, message, null);

    /// <summary>Never answers (until the client gives up or the fake stops).</summary>
    public static FakeTwilioReply Hang { get; } = new Hanging();

    public sealed record Success(string Status) : FakeTwilioReply;

    public sealed record Failure(int HttpStatus, int Code, string Message, int? RetryAfterSeconds) : FakeTwilioReply;

    public sealed record Hanging : FakeTwilioReply;
}
