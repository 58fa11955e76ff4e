using System.Threading.Channels;

namespace MessagingServer.TestSupport.Twilio;

/// <summary>
/// The fake's own status callbacks: after each accepted message that named a <c>StatusCallback</c>, a pool of
/// <see cref="FakeTwilioOptions.CallbackWorkers"/> posts <see cref="FakeTwilioOptions.CallbackStatuses"/> to it,
/// signed, in order (a status that fails stops that message's later ones). Off when no statuses are set.
/// </summary>
internal sealed class FakeTwilioCallbacks
{
    private readonly FakeTwilioOptions _options;
    private readonly CancellationToken _stopping;
    private readonly string[] _statuses;
    private readonly Channel<Callback> _queue;
    private readonly HttpClient _http;
    private Task _workers = Task.CompletedTask;
    private long _posted;
    private long _failed;
    private long _dropped;

    public FakeTwilioCallbacks(FakeTwilioOptions options, CancellationToken stopping)
    {
        _options = options;
        _stopping = stopping;
        _statuses = options.CallbackStatuses.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        _queue = Channel.CreateBounded<Callback>(new BoundedChannelOptions(Math.Max(1, options.CallbackQueue)) { FullMode = BoundedChannelFullMode.Wait });
        _http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = Math.Max(1, options.CallbackWorkers),
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    public long Posted => Interlocked.Read(ref _posted);

    public long Failed => Interlocked.Read(ref _failed);

    public long Dropped => Interlocked.Read(ref _dropped);

    public void Start()
    {
        if (_statuses.Length > 0)
        {
            _workers = Task.WhenAll(Enumerable.Range(0, Math.Max(1, _options.CallbackWorkers)).Select(_ => Task.Run(PostAllAsync)));
        }
    }

    public void Enqueue(string? url, string sid, IReadOnlyDictionary<string, string> message)
    {
        if (string.IsNullOrEmpty(url) || _statuses.Length == 0)
        {
            return;
        }

        var callback = new Callback(url, sid, message.GetValueOrDefault("To") ?? "", message.GetValueOrDefault("From") ?? "");
        if (!_queue.Writer.TryWrite(callback))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    public async Task StopAsync()
    {
        _queue.Writer.TryComplete();
        await _workers;
        _http.Dispose();
    }

    private async Task PostAllAsync()
    {
        try
        {
            await foreach (var callback in _queue.Reader.ReadAllAsync(_stopping))
            {
                foreach (var status in _statuses)
                {
                    if (!await PostAsync(callback, status))
                    {
                        break;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task<bool> PostAsync(Callback callback, string status)
    {
        var form = TwilioWebhookForms.Status(_options.AccountSid, callback.Sid, status, callback.From, callback.To);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, callback.Url) { Content = new FormUrlEncodedContent(form) };
            request.Headers.TryAddWithoutValidation(TwilioSigner.HeaderName, TwilioSigner.Sign(_options.AuthToken, callback.Url, form));
            using var response = await _http.SendAsync(request, _stopping);
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
        catch (TaskCanceledException) when (!_stopping.IsCancellationRequested)
        {
            // A timeout: counted below.
        }

        Interlocked.Increment(ref _failed);
        return false;
    }

    private sealed record Callback(string Url, string Sid, string To, string From);
}
