using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using MessagingServer.Bench.Shared;
using Microsoft.Extensions.Options;

namespace MessagingServer.Bench.FakeTwilio;

/// <summary>The Messages resource, and the worker pool that posts status callbacks.</summary>
public sealed class FakeTwilioApi : BackgroundService
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly FakeTwilioOptions _options;
    private readonly string _expectedAuthorization;
    private readonly string[] _statuses;
    private readonly Channel<Callback> _callbacks;
    private readonly HttpClient _http;
    private long _received;
    private long _rejected;
    private long _posted;
    private long _failed;
    private long _dropped;

    public FakeTwilioApi(IOptions<FakeTwilioOptions> options)
    {
        _options = options.Value;
        _expectedAuthorization = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_options.AccountSid}:{_options.AuthToken}"));
        _statuses = _options.CallbackStatuses.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        _callbacks = Channel.CreateBounded<Callback>(new BoundedChannelOptions(Math.Max(1, _options.CallbackQueue))
        {
            FullMode = BoundedChannelFullMode.Wait,
        });
        _http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = Math.Max(1, _options.CallbackWorkers),
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    public async Task<IResult> CreateMessageAsync(HttpContext context, string accountSid)
    {
        if (accountSid != _options.AccountSid || context.Request.Headers.Authorization.ToString() != _expectedAuthorization)
        {
            Interlocked.Increment(ref _rejected);
            return Error(401, 20003, "Authentication Error - invalid username");
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        string to = form["To"].ToString();
        string body = form["Body"].ToString();
        string from = form["From"].ToString();
        if (string.IsNullOrEmpty(to))
        {
            Interlocked.Increment(ref _rejected);
            return Error(400, 21604, "A 'To' phone number is required.");
        }

        if (string.IsNullOrEmpty(body))
        {
            Interlocked.Increment(ref _rejected);
            return Error(400, 21602, "Message body is required.");
        }

        if (_options.LatencyMs > 0)
        {
            await Task.Delay(_options.LatencyMs, context.RequestAborted);
        }

        Interlocked.Increment(ref _received);
        var sid = TwilioSigning.NewSid("SM");
        string callback = form["StatusCallback"].ToString();
        if (!string.IsNullOrEmpty(callback) && _statuses.Length > 0 && !_callbacks.Writer.TryWrite(new Callback(callback, sid, to, from)))
        {
            Interlocked.Increment(ref _dropped);
        }

        var now = DateTimeOffset.UtcNow.ToString("r", CultureInfo.InvariantCulture);
        return Results.Json(
            new MessageResource(sid, _options.AccountSid, to, from, body, "queued", "1", "outbound-api", "2010-04-01", now, now,
                $"/2010-04-01/Accounts/{_options.AccountSid}/Messages/{sid}.json"),
            Json,
            statusCode: 201);
    }

    public object Stats() => new
    {
        received = Interlocked.Read(ref _received),
        rejected = Interlocked.Read(ref _rejected),
        callbacksPosted = Interlocked.Read(ref _posted),
        callbackFailures = Interlocked.Read(ref _failed),
        callbacksDropped = Interlocked.Read(ref _dropped),
    };

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Math.Max(1, _options.CallbackWorkers)).Select(_ => PostCallbacksAsync(stoppingToken)));

    private async Task PostCallbacksAsync(CancellationToken stopping)
    {
        try
        {
            await foreach (var callback in _callbacks.Reader.ReadAllAsync(stopping))
            {
                foreach (var status in _statuses)
                {
                    if (!await PostAsync(callback, status, stopping))
                    {
                        break;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task<bool> PostAsync(Callback callback, string status, CancellationToken stopping)
    {
        KeyValuePair<string, string>[] form =
        [
            new("AccountSid", _options.AccountSid),
            new("ApiVersion", "2010-04-01"),
            new("From", callback.From),
            new("To", callback.To),
            new("MessageSid", callback.Sid),
            new("SmsSid", callback.Sid),
            new("SmsStatus", status),
            new("MessageStatus", status),
        ];
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, callback.Url) { Content = new FormUrlEncodedContent(form) };
            request.Headers.TryAddWithoutValidation(TwilioSigning.HeaderName, TwilioSigning.Sign(_options.AuthToken, callback.Url, form));
            using var response = await _http.SendAsync(request, stopping);
            if (response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref _posted);
                return true;
            }
        }
        catch (HttpRequestException)
        {
            // Counted below.
        }
        catch (TaskCanceledException) when (!stopping.IsCancellationRequested)
        {
            // A timeout: counted below.
        }

        Interlocked.Increment(ref _failed);
        return false;
    }

    private static IResult Error(int status, int code, string message) =>
        Results.Json(new ApiError(code, message, $"https://www.twilio.com/docs/errors/{code}", status), Json, statusCode: status);

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    private sealed record Callback(string Url, string Sid, string To, string From);

    private sealed record MessageResource(
        string Sid, string AccountSid, string To, string From, string Body, string Status, string NumSegments,
        string Direction, string ApiVersion, string DateCreated, string DateUpdated, string Uri);

    private sealed record ApiError(int Code, string Message, string MoreInfo, int Status);
}
