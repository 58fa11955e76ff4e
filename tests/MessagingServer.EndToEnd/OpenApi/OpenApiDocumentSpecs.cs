using System.Net;
using System.Text.Json.Nodes;
using MessagingServer.EndToEnd.Infrastructure;
using Microsoft.AspNetCore.Routing;

namespace MessagingServer.EndToEnd.OpenApi;

/// <summary><c>GET /openapi/v1.json</c>: served only when asked for, and describing every route under <c>/api/</c>.</summary>
public sealed class OpenApiDocumentSpecs
{
    [Fact]
    public async Task Every_mapped_api_route_is_in_the_document_with_bearer_security_schemas_and_problem_codes()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?> { ["OpenApi:Enabled"] = "true" });
        var document = await DocumentAsync(server);
        var paths = document["paths"]!.AsObject();

        var routes = ApiRoutes(server).ToList();
        Assert.NotEmpty(routes);
        foreach (var (method, path) in routes)
        {
            var operation = paths[path]?[method.ToLowerInvariant()];
            Assert.True(operation is not null, $"{method} {path} is mapped but not in /openapi/v1.json");
            var name = $"{method} {path}";
            Assert.False(string.IsNullOrEmpty((string?)operation!["operationId"]), $"{name} has no operationId");
            Assert.Contains("User API", operation["tags"]!.AsArray().Select(t => (string?)t));
            var schemes = operation["security"]!.AsArray().SelectMany(r => r!.AsObject().Select(p => p.Key)).ToList();
            Assert.Contains("bearer", schemes);

            var responses = operation["responses"]!.AsObject();
            var success = responses.Where(r => r.Key.StartsWith('2')).ToList();
            Assert.True(success.Count == 1, $"{name}: one success response");
            Assert.True(success[0].Value!["content"]?["application/json"]?["schema"] is not null, $"{name}: the success response has a schema");
            foreach (var status in new[] { "401", "403", "503" })
            {
                var codes = responses[status]?["x-problem-codes"]?.AsArray();
                Assert.True(codes is { Count: > 0 }, $"{name}: {status} lists its problem codes");
                Assert.NotNull(responses[status]!["content"]?["application/problem+json"]);
            }
        }

        var send = paths["/api/users/{userId}/messages"]!["post"]!;
        Assert.Equal("#/components/schemas/SendMessageRequest", (string?)send["requestBody"]!["content"]!["application/json"]!["schema"]!["$ref"]);
        Assert.Contains("invalid_to", send["responses"]!["400"]!["x-problem-codes"]!.AsArray().Select(c => (string?)c));
        var history = paths["/api/users/{userId}/messages"]!["get"]!;
        Assert.Equal(["userId", "since", "limit"], history["parameters"]!.AsArray().Select(p => (string?)p!["name"]));

        var components = document["components"]!;
        Assert.Equal("http", (string?)components["securitySchemes"]!["bearer"]!["type"]);
        Assert.Equal("bearer", (string?)components["securitySchemes"]!["bearer"]!["scheme"]);
        Assert.NotNull(components["schemas"]!["ProblemDetails"]!["properties"]!["code"]);
        Assert.NotNull(components["schemas"]!["StoredEvent"]!["discriminator"]);
    }

    [Fact]
    public async Task The_twilio_webhooks_are_marked_as_such_and_need_a_signature_not_a_token()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?> { ["OpenApi:Enabled"] = "true" });
        var paths = (await DocumentAsync(server))["paths"]!;

        foreach (var path in new[] { "/twilio/sms", "/twilio/status" })
        {
            var operation = paths[path]!["post"]!;
            Assert.True((bool?)operation["x-twilio-webhook"], path);
            Assert.Contains("Twilio webhooks", operation["tags"]!.AsArray().Select(t => (string?)t));
            Assert.Null(operation["security"]);
            Assert.Contains(operation["parameters"]!.AsArray(), p => (string?)p!["name"] == "X-Twilio-Signature" && (bool?)p["required"] == true);
            Assert.NotNull(operation["requestBody"]!["content"]!["application/x-www-form-urlencoded"]);
            Assert.Contains("invalid_signature", operation["responses"]!["403"]!["x-problem-codes"]!.AsArray().Select(c => (string?)c));
        }
    }

    [Fact]
    public async Task Outside_development_the_document_is_served_only_when_enabled()
    {
        await using (var server = await RunningServer.StartAsync())
        {
            var response = await server.Http.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        await using (var development = await RunningServer.StartAsync(environment: "Development"))
        {
            var response = await development.Http.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    private static async Task<JsonNode> DocumentAsync(RunningServer server)
    {
        // No token: the document is public where it is served.
        var response = await server.Http.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    /// <summary>Every (method, route) the server mapped under /api/, as the routing table has it.</summary>
    private static IEnumerable<(string Method, string Path)> ApiRoutes(RunningServer server) =>
        server.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.TrimStart('/').StartsWith("api/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => (m, "/" + e.RoutePattern.RawText!.Trim('/')))); // a group's own route ("") ends in a slash that routing ignores
}
