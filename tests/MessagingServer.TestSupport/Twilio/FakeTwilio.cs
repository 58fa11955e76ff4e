using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Threading.Channels;

namespace MessagingServer.TestSupport.Twilio;

/// <summary>
/// A stand-in for Twilio: a real HTTP server on 127.0.0.1 speaking Twilio's wire format, for the test suites
/// and (as its own process, bench/FakeTwilio) for the bench. <c>POST /2010-04-01/Accounts/{sid}/Messages.json</c>
/// checks Basic auth (AccountSid:AuthToken or ApiKeySid:ApiKeySecret) and the form, answers in Twilio's JSON
/// shape (201, sid <c>SM</c> + 32 hex, status <c>queued</c>) or as scripted (429, 5xx, any error code, a
/// body that is not JSON, no answer at all), and records what came. It also plays Twilio's webhooks: signed
/// inbound SMS and status callbacks, posted by the test or (with <see cref="FakeTwilioOptions.CallbackStatuses"/>)
/// by itself after each accepted message.
/// </summary>
public sealed partial class FakeTwilio : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly FakeTwilioOptions _options;
    private readonly FakeTwilioCallbacks _callbacks;
    private readonly ConcurrentQueue<FakeTwilioReply> _script = new();
    private readonly ConcurrentQueue<FakeTwilioRequest> _requests = new();
    private readonly ConcurrentQueue<string> _created = new();
    private readonly Channel<FakeTwilioRequest> _arrivals = Channel.CreateUnbounded<FakeTwilioRequest>();
    private readonly CancellationTokenSource _stopping = new();
    private long _accepted;
    private long _refused;

    private FakeTwilio(WebApplication app, FakeTwilioOptions options, Uri baseAddress)
    {
        _app = app;
        _options = options;
        BaseAddress = baseAddress;
        Http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        _callbacks = new FakeTwilioCallbacks(options, _stopping.Token);
    }

    public string AccountSid => _options.AccountSid;

    public string AuthToken => _options.AuthToken;

    public string ApiKeySid => _options.ApiKeySid;

    public string ApiKeySecret => _options.ApiKeySecret;

    public string MessagingServiceSid => _options.MessagingServiceSid;

    /// <summary>Where the fake listens: the value for <c>Twilio:ApiBaseUrl</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Posts the fake's webhooks (inbound SMS, status callbacks).</summary>
    public HttpClient Http { get; }

    /// <summary>Every request to the Messages resource, in arrival order, including refused ones.</summary>
    public IReadOnlyList<FakeTwilioRequest> Requests => _requests.ToArray();

    /// <summary>Sids of the messages the fake accepted (answered 201).</summary>
    public IReadOnlyList<string> CreatedMessages => _created.ToArray();

    /// <summary>Counts for the bench: messages accepted and refused, callbacks posted, failed and dropped.</summary>
    public FakeTwilioStats Stats => new(
        Interlocked.Read(ref _accepted), Interlocked.Read(ref _refused), _callbacks.Posted, _callbacks.Failed, _callbacks.Dropped);

    /// <summary>The next request to arrive (requests are queued for this as they come, whether read or not).</summary>
    public async Task<FakeTwilioRequest> NextArrivalAsync(TimeSpan timeout) =>
        await _arrivals.Reader.ReadAsync().AsTask().WaitAsync(timeout);

    public static string NewSid(string prefix) => TwilioSigner.NewSid(prefix);

    /// <summary>
    /// Starts a fake on <paramref name="url"/> (default: 127.0.0.1 on a <see cref="FreePort"/>);
    /// <paramref name="endpoints"/> may map more (the bench host's stats).
    /// </summary>
    public static async Task<FakeTwilio> StartAsync(FakeTwilioOptions? options = null, string? url = null, Action<IEndpointRouteBuilder, FakeTwilio>? endpoints = null)
    {
        options ??= new FakeTwilioOptions();
        url ??= string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{FreePort.Next()}");
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            EnvironmentName = "Testing",
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(url);
        var app = builder.Build();
        var fake = new FakeTwilio(app, options, new Uri(url.TrimEnd('/') + "/"));
        app.MapPost("/2010-04-01/Accounts/{accountSid}/Messages.json", fake.CreateMessageAsync);
        app.MapGet("/2010-04-01/Accounts/{accountSid}/Messages.json", fake.ListMessages);
        endpoints?.Invoke(app, fake);
        await app.StartAsync();
        fake._callbacks.Start();
        return fake;
    }

    /// <summary>For a host process: returns when the process is asked to stop (Ctrl+C, SIGTERM).</summary>
    public Task WaitForShutdownAsync() => _app.WaitForShutdownAsync();

    /// <summary>The next answers, in order; once the script runs out, messages are accepted.</summary>
    public void Enqueue(params FakeTwilioReply[] replies)
    {
        ArgumentNullException.ThrowIfNull(replies);
        foreach (var reply in replies)
        {
            _script.Enqueue(reply);
        }
    }

    /// <summary><c>Twilio:*</c> settings for a server that sends through this fake (API key or auth token) and is called back at <paramref name="webhookBaseUrl"/>.</summary>
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

    private async Task<IResult> CreateMessageAsync(HttpContext context, string accountSid)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var fields = form.ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
        string[] media = [.. form["MediaUrl"].OfType<string>()];
        var (user, secret) = FakeTwilioWire.BasicCredentials(context.Request.Headers.Authorization.ToString());
        var refusal = Check(accountSid, user, secret, fields, media);
        var reply = refusal ?? (_script.TryDequeue(out var scripted) ? scripted : FakeTwilioReply.Created());
        var recorded = new FakeTwilioRequest(Stopwatch.GetTimestamp(), accountSid, user, secret, fields, reply, media);
        if (_options.RecordRequests)
        {
            _requests.Enqueue(recorded);
            _arrivals.Writer.TryWrite(recorded);
        }

        if (refusal is null && _options.LatencyMs > 0)
        {
            await Task.Delay(_options.LatencyMs, context.RequestAborted);
        }

        if (reply is FakeTwilioReply.Lost lost)
        {
            var lostSid = NewSid("SM");
            Keep(lostSid, accountSid, lost.Status, fields, media.Length);
            _callbacks.Enqueue(fields.GetValueOrDefault("StatusCallback"), lostSid, fields);
            reply = lost.Answer;
        }

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
                Interlocked.Increment(ref _accepted);
                if (_options.RecordRequests)
                {
                    _created.Enqueue(sid);
                    Keep(sid, accountSid, success.Status, fields, media.Length);
                }

                _callbacks.Enqueue(fields.GetValueOrDefault("StatusCallback"), sid, fields);
                return Results.Json(FakeTwilioWire.MessageResource(sid, accountSid, success.Status, fields, media.Length), statusCode: StatusCodes.Status201Created);
            case FakeTwilioReply.Raw raw:
                return Results.Text(raw.Body, "text/html", Encoding.UTF8, raw.HttpStatus);
            case FakeTwilioReply.Failure failure:
                Interlocked.Increment(ref _refused);
                if (failure.RetryAfterSeconds is { } seconds)
                {
                    context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                }

                return Results.Json(FakeTwilioWire.Error(failure), statusCode: failure.HttpStatus);
            default:
                throw new InvalidOperationException($"unknown reply {reply}");
        }
    }

    /// <summary>What real Twilio refuses before looking at anything else.</summary>
    private FakeTwilioReply? Check(string accountSid, string? user, string? secret, Dictionary<string, string> form, string[] media)
    {
        var authenticated = (user == AccountSid && secret == AuthToken) || (user == ApiKeySid && secret == ApiKeySecret);
        if (!authenticated)
        {
            return FakeTwilioReply.Error(401, 20003, "Authenticate");
        }

        if (accountSid != AccountSid)
        {
            return FakeTwilioReply.Error(404, 20404, "The requested resource was not found");
        }

        if (!form.ContainsKey("To"))
        {
            return FakeTwilioReply.Error(400, 21604, "A 'To' phone number is required.");
        }

        if (string.IsNullOrEmpty(form.GetValueOrDefault("Body")) && media.Length == 0)
        {
            return FakeTwilioReply.Error(400, 21602, "Message body is required.");
        }

        if (media.Length > 10)
        {
            return FakeTwilioReply.Error(400, 21623, "The number of media files exceeds the limit of 10.");
        }

        return form.ContainsKey("From") == form.ContainsKey("MessagingServiceSid")
            ? FakeTwilioReply.Error(400, 21603, "Exactly one of 'From' or 'MessagingServiceSid' is required.")
            : null;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _callbacks.StopAsync();
        Http.Dispose();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
        _stopping.Dispose();
    }
}

/// <summary>What the bench reads from its fake after a run.</summary>
public sealed record FakeTwilioStats(long Received, long Rejected, long CallbacksPosted, long CallbackFailures, long CallbacksDropped);
