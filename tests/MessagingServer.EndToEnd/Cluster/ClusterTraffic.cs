using MessagingServer.TestSupport.Twilio;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MessagingServer.EndToEnd.Infrastructure;

namespace MessagingServer.EndToEnd.Cluster;

/// <summary>
/// What an app and Twilio do against a cluster, with the retries they would make when a node fails: a send
/// retried with the same clientRef, a webhook retried with the same MessageSid, each on the next running node.
/// Records what was acknowledged (202 for a send, 200 for a webhook), which is what must never be lost.
/// </summary>
public sealed class ClusterTraffic(ClusterNodes cluster)
{
    private const int MaxAttempts = 60;
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(90);

    /// <summary>clientRef → the outbound id the server answered 202 with.</summary>
    public ConcurrentDictionary<string, string> AckedSends { get; } = new(StringComparer.Ordinal);

    /// <summary>Bodies of inbound SMS answered 200, by user.</summary>
    public ConcurrentDictionary<string, ConcurrentQueue<string>> AckedInbound { get; } = new(StringComparer.Ordinal);

    public int Retries => _retries;

    /// <summary>Every failed attempt: when (seconds since this traffic began), what, where, and the answer.</summary>
    public IReadOnlyList<string> Failures => [.. _failures];

    private readonly ConcurrentQueue<string> _failures = new();
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private int _retries;

    private void Failed(string what, ClusterNode node, string answer)
    {
        Interlocked.Increment(ref _retries);
        _failures.Enqueue(string.Create(CultureInfo.InvariantCulture, $"{_clock.Elapsed.TotalSeconds:0.0}s {what} on {node.Name}: {answer}"));
    }

    /// <summary>The client number a user's sends go to.</summary>
    public static string ClientOf(string user) =>
        string.Create(CultureInfo.InvariantCulture, $"+1555030{ClusterNodes.Users.ToList().IndexOf(user):0000}");

    /// <summary><c>POST /api/users/{user}/messages</c> on <paramref name="first"/>, then on the next running nodes until it is accepted. False when it never was.</summary>
    public async Task<bool> SendAsync(string user, ClusterNode first, string body, string clientRef)
    {
        var deadline = DateTime.UtcNow + GiveUpAfter;
        for (var attempt = 0; attempt < MaxAttempts && DateTime.UtcNow < deadline; attempt++)
        {
            var node = Pick(first, attempt);
            try
            {
                using var response = await node.HttpFor(user).PostAsJsonAsync(
                    new Uri($"/api/users/{user}/messages", UriKind.Relative), new { to = ClientOf(user), body, clientRef });
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    var accepted = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
                    var id = (string)accepted["id"]!;
                    Assert.True(AckedSends.GetOrAdd(clientRef, id) == id, $"{clientRef} was accepted twice with different ids");
                    return true;
                }

                var text = await response.Content.ReadAsStringAsync();
                Assert.True(
                    response.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError,
                    $"send {clientRef} on node {node.Name}: {(int)response.StatusCode} {text}");
                Failed($"send {clientRef}", node, ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture));
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // The node died under the request, or its session is moving: the outcome is unknown, so retry with the same clientRef.
                Failed($"send {clientRef}", node, e.GetType().Name);
            }

            await Task.Delay(100);
        }

        return false;
    }

    /// <summary>A signed inbound SMS to <paramref name="user"/>'s number on <paramref name="first"/>, retried as Twilio would (same MessageSid) until answered 200.</summary>
    public async Task<bool> PostInboundAsync(string user, ClusterNode first, string body, string messageSid)
    {
        var deadline = DateTime.UtcNow + GiveUpAfter;
        for (var attempt = 0; attempt < MaxAttempts && DateTime.UtcNow < deadline; attempt++)
        {
            var node = Pick(first, attempt);
            try
            {
                using var response = await cluster.Twilio.PostInboundSmsAsync(
                    new Uri(node.BaseAddress, "/twilio/sms"), ClientOf(user), ClusterNodes.NumberOf(user), body, messageSid: messageSid);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    AckedInbound.GetOrAdd(user, _ => new ConcurrentQueue<string>()).Enqueue(body);
                    return true;
                }

                Assert.True(
                    (int)response.StatusCode >= 500,
                    $"webhook {messageSid} on node {node.Name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                Failed($"webhook {messageSid}", node, ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture));
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Twilio sees a failed delivery and tries again.
                Failed($"webhook {messageSid}", node, e.GetType().Name);
            }

            await Task.Delay(100);
        }

        return false;
    }

    /// <summary>
    /// The user's whole history (<c>GET /api/users/{user}/messages?since=</c>, page by page), read through
    /// <paramref name="node"/>. Pages of 100: a page of 1000 from a session on another node is a History message of
    /// ~390 KB, over Akka.Remote's 128 KB frame, and is dropped (OversizedPayloadException, then 503).
    /// </summary>
    public static async Task<List<JsonObject>> HistoryAsync(ClusterNode node, string user)
    {
        var events = new List<JsonObject>();
        for (var page = 0; page < 1000; page++)
        {
            var since = events.Count == 0 ? 0 : (long)events[^1]["seq"]!;
            using var response = await node.HttpFor(user).GetAsync(new Uri($"/api/users/{user}/messages?since={since}&limit=100", UriKind.Relative));
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"history of {user} on node {node.Name}: {(int)response.StatusCode} {text}");
            var batch = JsonNode.Parse(text)!.AsArray().Select(e => e!.AsObject()).ToList();
            if (batch.Count == 0)
            {
                return events;
            }

            events.AddRange(batch);
        }

        throw new InvalidOperationException($"history of {user} has more than 1000 pages");
    }

    /// <summary>Retries a read that may hit a node while a session moves (503 for a while).</summary>
    public static async Task<List<JsonObject>> HistoryEventuallyAsync(ClusterNode node, string user)
    {
        var deadline = DateTime.UtcNow + GiveUpAfter;
        while (true)
        {
            try
            {
                return await HistoryAsync(node, user);
            }
            catch (Exception e) when (DateTime.UtcNow < deadline && e is Xunit.Sdk.TrueException or HttpRequestException or TaskCanceledException)
            {
                await Task.Delay(250);
            }
        }
    }

    private ClusterNode Pick(ClusterNode first, int attempt)
    {
        if (attempt == 0 && first.IsRunning)
        {
            return first;
        }

        var running = cluster.Running.ToList();
        return running.Count == 0 ? first : running[(first.Index + attempt) % running.Count];
    }
}
