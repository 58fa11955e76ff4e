using MessagingServer.WebSockets;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using OpenTelemetry.Metrics;

namespace MessagingServer.Observability;

/// <summary>Metrics on <c>/metrics</c> (Prometheus text, OpenTelemetry's exporter), traces exported by OTLP when an endpoint is configured.</summary>
public static class ObservabilitySetup
{
    public static IServiceCollection AddMessagingObservability(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddMetrics();
        services.AddOptions<MetricsOptions>().Bind(configuration.GetSection(MetricsOptions.Section));
        services.AddSingleton<MessagingMetrics>();
        services.AddHostedService<SocketGauges>();

        var otlp = configuration["OpenTelemetry:OtlpEndpoint"] ?? configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("messaging-server"))
            .WithMetrics(metrics => metrics
                .AddMeter(MessagingMetrics.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter("Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Http.Connections", "System.Net.Http")
                .AddView(MetricTagPolicy.View)
                .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0))
            .WithTracing(tracing =>
            {
                tracing.AddSource(Telemetry.SourceName).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();
                if (!string.IsNullOrWhiteSpace(otlp))
                {
                    tracing.AddOtlpExporter(o => o.Endpoint = new Uri(otlp));
                }
            });
        return services;
    }

    public static IEndpointRouteBuilder MapMessagingMetrics(this IEndpointRouteBuilder endpoints)
    {
        // Metrics:BearerToken, when set, is checked in the scrape endpoint's own branch.
        endpoints.MapPrometheusScrapingEndpoint("/metrics", meterProvider: null, configureBranchedPipeline: MetricsAccess.RequireToken, optionsName: null);
        return endpoints;
    }

    /// <summary>Open sockets by kind, observed when the metrics are scraped.</summary>
    private sealed class SocketGauges(MessagingMetrics metrics, WebSocketConnections connections, BridgeCounters bridges) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            metrics.Meter.CreateObservableGauge("messaging.sockets.open", () => new[]
            {
                new System.Diagnostics.Metrics.Measurement<long>(connections.CountOf("message"), new KeyValuePair<string, object?>("kind", "message")),
                new System.Diagnostics.Metrics.Measurement<long>(connections.CountOf("affirm"), new KeyValuePair<string, object?>("kind", "affirm")),
            }, "{socket}", "Open WebSockets by endpoint");
            metrics.Meter.CreateObservableCounter("messaging.sockets.overflowed", () => bridges.Overflowed, "{socket}", "Sockets closed with 1013 for falling behind");
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
