using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MessagingServer.Health;

/// <summary><c>/health/live</c> (the process answers), <c>/health/ready</c> and <c>/health</c> (every dependency by name).</summary>
public static class HealthEndpoints
{
    public const string ReadyTag = "ready";

    public static IServiceCollection AddMessagingHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<ActorSystemHealthCheck>("actorSystem", tags: [ReadyTag]);
        return services;
    }

    public static IEndpointRouteBuilder MapMessagingHealthChecks(this IEndpointRouteBuilder endpoints)
    {
        var live = new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteJson };
        var ready = new HealthCheckOptions { Predicate = r => r.Tags.Contains(ReadyTag), ResponseWriter = WriteJson };
        endpoints.MapHealthChecks("/health/live", live);
        endpoints.MapHealthChecks("/health/ready", ready);
        endpoints.MapHealthChecks("/health", ready);
        return endpoints;
    }

    /// <summary>
    /// Names and states with each check's own short description; never an exception's message, which can hold a
    /// path, a host or a port (the health check service logs those).
    /// </summary>
    private static Task WriteJson(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new HealthResponse(
            report.Status.ToString(),
            report.Entries.ToDictionary(
                e => e.Key,
                e => new HealthEntry(e.Value.Status.ToString(), PublicDescription(e.Value))));
        return JsonSerializer.SerializeAsync(context.Response.Body, body, HealthJsonContext.Default.HealthResponse, context.RequestAborted);
    }

    /// <summary>A check that threw has the exception's message as its description: only its type is shown.</summary>
    private static string? PublicDescription(HealthReportEntry entry) =>
        entry.Exception is { } e && string.Equals(entry.Description, e.Message, StringComparison.Ordinal)
            ? $"check failed ({e.GetType().Name})"
            : entry.Description;
}

public sealed record HealthResponse(string Status, Dictionary<string, HealthEntry> Checks);

public sealed record HealthEntry(string Status, string? Description);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
[System.Text.Json.Serialization.JsonSerializable(typeof(HealthResponse))]
internal sealed partial class HealthJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
