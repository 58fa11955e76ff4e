using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text.Json;
using MessagingServer.EndToEnd.Infrastructure;

namespace MessagingServer.EndToEnd.Security;

/// <summary>WebSocket handshakes that are expected to be refused, seen by a real client and as raw HTTP.</summary>
public static class Handshake
{
    /// <summary>The HTTP status with which the server refused a <see cref="ClientWebSocket"/> handshake (fails if it was accepted).</summary>
    public static async Task<HttpStatusCode> RefusedStatusAsync(Uri uri, Action<ClientWebSocketOptions>? options = null)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        options?.Invoke(socket.Options);
        using var timeout = new CancellationTokenSource(SocketClient.DefaultTimeout);
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(uri, timeout.Token));
        return socket.HttpStatusCode;
    }

    /// <summary>An HTTP/1.1 upgrade request as a browser sends it, so that a refusal's problem body can be read.</summary>
    public static async Task<RefusedHandshake> SendUpgradeAsync(HttpClient http, string pathAndQuery, Action<HttpRequestHeaders>? headers = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery) { Version = HttpVersion.Version11 };
        request.Headers.Connection.Add("Upgrade");
        request.Headers.Upgrade.Add(new ProductHeaderValue("websocket"));
        request.Headers.Add("Sec-WebSocket-Version", "13");
        request.Headers.Add("Sec-WebSocket-Key", Convert.ToBase64String(Guid.NewGuid().ToByteArray()));
        headers?.Invoke(request.Headers);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.NotEqual(HttpStatusCode.SwitchingProtocols, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        return new RefusedHandshake(
            response.StatusCode,
            response.Content.Headers.ContentType?.MediaType,
            ProblemCode(body),
            response.Headers.RetryAfter?.Delta);
    }

    /// <summary>The <c>code</c> of a problem+json body, or null.</summary>
    public static string? ProblemCode(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.TryGetProperty("code", out var code) ? code.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

public sealed record RefusedHandshake(HttpStatusCode Status, string? MediaType, string? Code, TimeSpan? RetryAfter);
