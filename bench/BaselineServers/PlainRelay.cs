using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;

namespace MessagingServer.Bench.Baselines;

/// <summary>
/// The relay without actors or storage: a <c>send</c> on <c>/relay/{user}</c> is answered with an
/// <c>outbound</c> frame, then goes to the provider's REST API over a plain HttpClient; the provider's
/// signed status callbacks (<c>POST /relay/status?u=&amp;m=</c>) become <c>status</c> frames on the socket.
/// </summary>
public sealed class PlainRelay
{
    public const string ClientName = "provider";

    private readonly HttpClient _http;
    private readonly ProviderSettings _settings;
    private readonly SocketDirectory _sockets;
    private readonly Uri? _messages;
    private readonly AuthenticationHeaderValue _authorization;
    private long _seq;

    public PlainRelay(IHttpClientFactory clients, IOptions<ProviderSettings> options, SocketDirectory sockets)
    {
        _http = clients.CreateClient(ClientName);
        _settings = options.Value;
        _sockets = sockets;
        _messages = string.IsNullOrEmpty(_settings.ApiBaseUrl)
            ? null
            : new Uri($"{_settings.ApiBaseUrl.TrimEnd('/')}/2010-04-01/Accounts/{_settings.AccountSid}/Messages.json");
        _authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_settings.AccountSid}:{_settings.AuthToken}")));
    }

    public async Task SocketAsync(HttpContext context, string userId)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var socket = new BaselineSocket(await context.WebSockets.AcceptWebSocketAsync());
        var key = "relay:" + userId;
        _sockets.Add(key, socket);
        try
        {
            while (await socket.ReadAsync(context.RequestAborted) is { } message)
            {
                if (BaselineFrames.ReadSend(message.Span) is not { } send)
                {
                    continue;
                }

                var id = BaselineFrames.NewId();
                await socket.SendAsync(BaselineFrames.Outbound(Interlocked.Increment(ref _seq), id, send.ClientRef, _settings.From, send.To, send.Body, "queued"));
                _ = CallProviderAsync(userId, id, send.To, send.Body, socket);
            }
        }
        finally
        {
            _sockets.Remove(key, socket);
        }

        await socket.CloseAsync();
    }

    public async Task<IResult> StatusAsync(HttpContext context)
    {
        if (await WebhookForms.ReadSignedAsync(context, _settings, _settings.WebhookBaseUrl) is not { } form)
        {
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        }

        string user = context.Request.Query["u"].ToString();
        string id = context.Request.Query["m"].ToString();
        if (_sockets.Find("relay:" + user) is { } socket)
        {
            await socket.SendAsync(BaselineFrames.Status(Interlocked.Increment(ref _seq), id, form["MessageStatus"].ToString()), context.RequestAborted);
        }

        return Results.Ok();
    }

    private async Task CallProviderAsync(string userId, string id, string to, string body, BaselineSocket socket)
    {
        var ok = false;
        try
        {
            if (_messages is not null)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, _messages)
                {
                    Content = new FormUrlEncodedContent(
                    [
                        new("To", to),
                        new("From", _settings.From),
                        new("Body", body),
                        new("StatusCallback", $"{_settings.WebhookBaseUrl.TrimEnd('/')}/relay/status?u={Uri.EscapeDataString(userId)}&m={Uri.EscapeDataString(id)}"),
                    ]),
                };
                request.Headers.Authorization = _authorization;
                using var response = await _http.SendAsync(request);
                await response.Content.ReadAsStringAsync();
                ok = response.IsSuccessStatusCode;
            }
        }
        catch (HttpRequestException)
        {
            ok = false;
        }

        if (!ok)
        {
            await socket.SendAsync(BaselineFrames.Status(Interlocked.Increment(ref _seq), id, "failed"));
        }
    }
}

public static class RelayEndpoints
{
    public static void MapRelayEndpoints(this IEndpointRouteBuilder app)
    {
        app.Map("/relay/{userId}", (HttpContext context, string userId, PlainRelay relay) => relay.SocketAsync(context, userId));
        app.MapPost("/relay/status", (HttpContext context, PlainRelay relay) => relay.StatusAsync(context));
    }
}
