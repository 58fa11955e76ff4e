using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using MessagingServer.EndToEnd.Infrastructure;
using Serilog.Core;
using Serilog.Events;

namespace MessagingServer.EndToEnd.Observability;

/// <summary>
/// Meters are process-wide by name: while other test servers start and stop in this process, their
/// counters come and go in every exporter. These specs run alone so each scrape sees one server.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideMetricsCollection
{
    public const string Name = "Process-wide metrics (runs alone)";
}

[Collection(ProcessWideMetricsCollection.Name)]
public sealed partial class ObservabilitySpecs : IAsyncLifetime
{
    private const string ScrapeToken = "scrape-token-for-these-specs";
    private readonly LogCapture _logs = new();
    private RunningServer _server = null!;

    public async Task InitializeAsync() => _server = await RunningServer.StartAsync(
        new Dictionary<string, string?> { ["Serilog:MinimumLevel:Default"] = "Debug", ["Metrics:BearerToken"] = ScrapeToken },
        builder => builder.Services.AddSingleton<ILogEventSink>(_logs));

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_sent_message_moves_the_counters_on_the_prometheus_endpoint()
    {
        var before = await ScrapeAsync();

        var response = await _server.HttpFor("metrics-user").PostAsJsonAsync("/api/users/metrics-user/messages", new { to = "+15550001111", body = "count me" });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await using var socket = await MessageClient.ConnectAsync(_server, "metrics-user", "?since=0");
        await socket.ExpectAsync("status", f => (string?)f["status"] == "delivered");

        var after = await ScrapeAsync();
        Assert.True(Value(after, "messaging_sms_sent_total") >= Value(before, "messaging_sms_sent_total") + 1);
        Assert.True(Value(after, "messaging_events_total", "direction=\"out\",type=\"outbound\"") >= Value(before, "messaging_events_total", "direction=\"out\",type=\"outbound\"") + 1);
        Assert.True(Value(after, "messaging_journal_write_duration_milliseconds_count") > 0);
        Assert.True(Value(after, "messaging_sockets_open", "kind=\"message\"") >= 1);
        Assert.Contains("http_server_request_duration_seconds", after, StringComparison.Ordinal);
        Assert.Contains("dotnet_gc_collections_total", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_cluster_of_one_shows_one_member_up_none_unreachable_and_the_shards_it_hosts()
    {
        await using var socket = await MessageClient.ConnectAsync(_server, "cluster-metrics-user");

        // The shard figure is refreshed by scrapes (at most once a second), so the first scrape may show none yet.
        string scrape = "";
        await Eventually.TrueAsync(async () =>
        {
            scrape = await ScrapeAsync();
            return Value(scrape, "messaging_cluster_shards") >= 1;
        });
        Assert.Equal(1, Value(scrape, "messaging_cluster_members", "status=\"up\""));
        Assert.Equal(0, Value(scrape, "messaging_cluster_members", "status=\"joining\""));
        Assert.Equal(0, Value(scrape, "messaging_cluster_unreachable"));
        Assert.Contains("messaging_cluster_unreachable", scrape, StringComparison.Ordinal);
        Assert.True(Value(scrape, "messaging_sessions_alive") >= 1);
    }

    [Fact]
    public async Task A_rest_requests_trace_id_is_the_correlation_id_in_the_provider_calls_log_line()
    {
        var traceId = System.Diagnostics.ActivityTraceId.CreateRandom().ToHexString();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/users/traced/messages")
        {
            Content = JsonContent.Create(new { to = "+15550002222", body = "follow me" }),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _server.TokenFor("traced"));
        request.Headers.Add("traceparent", $"00-{traceId}-{System.Diagnostics.ActivitySpanId.CreateRandom().ToHexString()}-01");

        // A client that sends our traceparent as it is (in-process tracing would otherwise replace it).
        using var http = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null }) { BaseAddress = _server.BaseAddress };
        var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await Eventually.TrueAsync(() => ProviderLines().Any(e => Scalar(e, "CorrelationId") == traceId && Scalar(e, "UserId") == "traced"));
    }

    [Fact]
    public async Task A_socket_sends_correlation_id_follows_it_from_the_socket_to_the_provider_call()
    {
        await using var socket = await MessageClient.ConnectAsync(_server, "traced-socket");

        await socket.SendAsync("+15550003333", "from the socket");
        await socket.ExpectAsync("outbound");

        string? correlation = null;
        await Eventually.TrueAsync(() =>
        {
            correlation = ProviderLines().Where(e => Scalar(e, "UserId") == "traced-socket").Select(e => Scalar(e, "CorrelationId")).FirstOrDefault();
            return correlation is not null;
        });
        Assert.Matches("^[0-9a-f]{32}$", correlation);
        Assert.Contains(_logs.Events, e => e.Properties.ContainsKey("SourceContext")
            && Scalar(e, "SourceContext")!.EndsWith("SessionSocketBridge", StringComparison.Ordinal)
            && Scalar(e, "CorrelationId") == correlation);
    }

    [Fact]
    public async Task Webhook_metrics_are_labelled_by_route_whatever_case_the_client_typed()
    {
        const string Count = "messaging_webhook_duration_milliseconds_count";
        var before = await ScrapeAsync();
        var variants = Enumerable.Range(0, 100).Select(CaseVariant).ToList();

        // Routing ignores case, so each reaches the webhook (refused here, Twilio is not configured) and is measured.
        foreach (var path in variants)
        {
            using var unsigned = new FormUrlEncodedContent([new("MessageSid", "SMcase"), new("MessageStatus", "delivered")]);
            using var response = await _server.Http.PostAsync(path, unsigned);
        }

        var after = await ScrapeAsync();
        var twilioLabels = Sample().Matches(after)
            .SelectMany(m => LabelValue().Matches(m.Groups["labels"].Value).Select(l => l.Groups["value"].Value))
            .Where(v => v.Contains("twilio", StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        Assert.Equal(["/twilio/status"], twilioLabels);
        var counted = Sample().Matches(after).Where(m => m.Groups["name"].Value == Count).Sum(m => double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture))
            - Sample().Matches(before).Where(m => m.Groups["name"].Value == Count).Sum(m => double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));
        Assert.Equal(variants.Count, counted);
    }

    /// <summary>"/twilio/status" with letter k upper case when bit k of <paramref name="seed"/> is set: every seed below 4096 differs.</summary>
    private static string CaseVariant(int seed)
    {
        var letters = "/twilio/status".ToCharArray();
        var bit = 0;
        for (var i = 0; i < letters.Length; i++)
        {
            if (char.IsLetter(letters[i]) && ((seed >> bit++) & 1) == 1)
            {
                letters[i] = char.ToUpperInvariant(letters[i]);
            }
        }

        return new string(letters);
    }

    private IEnumerable<LogEvent> ProviderLines() => _logs.Events.Where(e =>
        Scalar(e, "SourceContext") is { } source && source.EndsWith("LoopbackSmsService", StringComparison.Ordinal));

    private static string? Scalar(LogEvent e, string name) =>
        e.Properties.TryGetValue(name, out var value) && value is ScalarValue { Value: var v } ? v?.ToString() : null;

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wrong-token")]
    [InlineData("Basic " + ScrapeToken)]
    [InlineData("Bearer " + ScrapeToken + "x")]
    [InlineData("Bearer ")]
    public async Task Metrics_without_the_configured_bearer_token_are_refused_with_401(string? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await _server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.DoesNotContain("messaging_", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_metric_label_carries_a_host_a_port_or_the_database_path()
    {
        // A request through Kestrel, so its meter has series (the HTTP client meter has the same policy).
        using (var response = await _server.Http.GetAsync("/health/ready"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var scrape = await ScrapeAsync();

        var labels = Sample().Matches(scrape).Select(m => m.Groups["labels"].Value).ToList();
        Assert.DoesNotContain(labels, l => l.Contains("server_address", StringComparison.Ordinal) || l.Contains("server_port", StringComparison.Ordinal));
        Assert.DoesNotContain("127.0.0.1", scrape, StringComparison.Ordinal);
        Assert.DoesNotContain(_server.BaseAddress.Port.ToString(CultureInfo.InvariantCulture) + "\"", scrape, StringComparison.Ordinal);
        Assert.DoesNotContain(".db", scrape, StringComparison.Ordinal);
        Assert.DoesNotContain(Path.GetTempPath(), scrape, StringComparison.Ordinal);
    }

    private async Task<string> ScrapeAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ScrapeToken);
        var response = await _server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The sample of <paramref name="name"/> whose labels contain <paramref name="labels"/> (0 when absent).</summary>
    private static double Value(string scrape, string name, string labels = "")
    {
        foreach (Match m in Sample().Matches(scrape))
        {
            if (m.Groups["name"].Value == name && m.Groups["labels"].Value.Contains(labels, StringComparison.Ordinal))
            {
                return double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    [GeneratedRegex("[a-z_]+=\"(?<value>[^\"]*)\"")]
    private static partial Regex LabelValue();

    [GeneratedRegex(@"^(?<name>[a-z_]+)(\{(?<labels>[^}]*)\})? (?<value>[0-9.eE+-]+)", RegexOptions.Multiline)]
    private static partial Regex Sample();
}
