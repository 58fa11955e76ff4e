using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;

namespace MessagingServer.OpenApi;

/// <summary><c>GET /openapi/v1.json</c>: the REST API described, in Development or when <c>OpenApi:Enabled</c> is true.</summary>
public static class OpenApiSetup
{
    public static IServiceCollection AddMessagingOpenApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OpenApiSettings>().Bind(configuration.GetSection(OpenApiSettings.Section));
        services.AddOpenApi(options =>
        {
            // ApiSchemas.cs names its records XSchema: the document calls them X.
            options.CreateSchemaReferenceId = type => OpenApiOptions.CreateDefaultSchemaReferenceId(type)?.Replace("Schema", string.Empty, StringComparison.Ordinal);
            options.AddDocumentTransformer<MessagingDocumentTransformer>();
            options.AddOperationTransformer<MessagingOperationTransformer>();
            options.AddSchemaTransformer<ProblemCodeSchemaTransformer>();
        });
        return services;
    }

    public static WebApplication MapMessagingOpenApi(this WebApplication app)
    {
        if (app.Environment.IsDevelopment() || app.Services.GetRequiredService<IOptions<OpenApiSettings>>().Value.Enabled)
        {
            app.MapOpenApi(OpenApiSettings.DocumentPath).AllowAnonymous();
        }

        return app;
    }
}
