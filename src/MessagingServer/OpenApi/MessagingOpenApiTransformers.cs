using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace MessagingServer.OpenApi;

/// <summary>The document's title, its security schemes, and the <c>code</c> every problem carries.</summary>
internal sealed class MessagingDocumentTransformer : IOpenApiDocumentTransformer
{
    public const string BearerScheme = "bearer";
    public const string QueryTokenScheme = "access_token";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "MessagingServer",
            Version = "v1",
            Description = "The REST side of MessagingServer. The live session is the WebSocket /message/{userId}: its frames are JSON Schemas in docs/schemas/, its protocol is docs/protocol.md.",
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "HS256 JWT: sub = the userId, exp required, iss and aud = Auth:Issuer / Auth:Audience.",
        };
        document.Components.SecuritySchemes[QueryTokenScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Query,
            Name = "access_token",
            Description = "The same JWT as a query parameter, for browsers (a WebSocket cannot carry headers).",
        };
        return Task.CompletedTask;
    }
}

/// <summary>Per operation: the security it needs, its problem codes, the query parameters it reads itself, and the webhook mark.</summary>
internal sealed class MessagingOperationTransformer : IOpenApiOperationTransformer
{
    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<RequestBodyDocument>().LastOrDefault() is { } body)
        {
            var schema = await context.GetOrCreateSchemaAsync(body.Type, null, cancellationToken);
            context.Document!.Components ??= new OpenApiComponents();
            context.Document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
            context.Document.Components.Schemas[body.Type.Name] = schema;
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    [body.ContentType] = new OpenApiMediaType { Schema = new OpenApiSchemaReference(body.Type.Name, context.Document) },
                },
            };
        }

        if (metadata.OfType<TwilioWebhook>().FirstOrDefault() is { } webhook)
        {
            operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
            operation.Extensions["x-twilio-webhook"] = new JsonNodeExtension(JsonValue.Create(true));
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = "X-Twilio-Signature",
                In = ParameterLocation.Header,
                Required = true,
                Description = $"HMAC-SHA1 of the public URL and the sorted form fields, keyed with {webhook.TwilioSetting}: missing or wrong is a 403 and nothing is stored.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
        }
        else if (metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any())
        {
            operation.Security =
            [
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(MessagingDocumentTransformer.BearerScheme, context.Document)] = [] },
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(MessagingDocumentTransformer.QueryTokenScheme, context.Document)] = [] },
            ];
        }

        foreach (var query in metadata.OfType<QueryParameter>())
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = query.Name,
                In = ParameterLocation.Query,
                Required = false,
                Description = query.Description,
                Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64", Minimum = "0" },
            });
        }

        foreach (var problem in metadata.OfType<ProblemCodes>())
        {
            if (operation.Responses?.TryGetValue(problem.Status.ToString(System.Globalization.CultureInfo.InvariantCulture), out var response) == true
                && response is OpenApiResponse concrete)
            {
                var reason = ReasonPhrases.GetReasonPhrase(problem.Status);
                concrete.Description = $"{reason}: application/problem+json with code {string.Join(", ", problem.Codes)}";
                concrete.Extensions ??= new Dictionary<string, IOpenApiExtension>();
                concrete.Extensions["x-problem-codes"] = new JsonNodeExtension(new JsonArray([.. problem.Codes.Select(c => JsonValue.Create(c))]));
            }
        }
    }
}

/// <summary>Every problem of this server carries a stable <c>code</c>: say so in the ProblemDetails schema.</summary>
internal sealed class ProblemCodeSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonTypeInfo.Type == typeof(ProblemDetails))
        {
            schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
            schema.Properties["code"] = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Description = "A stable, machine-readable code (docs/protocol.md lists them)",
            };
            schema.Required ??= new HashSet<string>();
            schema.Required.Add("code");
        }

        return Task.CompletedTask;
    }
}
