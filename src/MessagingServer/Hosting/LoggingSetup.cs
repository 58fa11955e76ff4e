using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace MessagingServer.Hosting;

/// <summary>One logging pipeline: Serilog, configured from the <c>Serilog</c> section.</summary>
internal static class LoggingSetup
{
    private const string DevelopmentTemplate =
        "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}";

    public static LoggerConfiguration ConfigureMessagingLogging(
        this LoggerConfiguration logger, IConfiguration configuration, IHostEnvironment environment, IServiceProvider services)
    {
        logger
            .ReadFrom.Configuration(configuration)
            .ReadFrom.Services(services)
            .Enrich.FromLogContext()
            .Enrich.With<Security.TokenRedactingEnricher>();

        // Sinks come from code so that a newcomer needs no configuration: text for people, JSON for machines.
        return environment.IsDevelopment()
            ? logger.WriteTo.Console(outputTemplate: DevelopmentTemplate, formatProvider: System.Globalization.CultureInfo.InvariantCulture)
            : logger.WriteTo.Console(new RenderedCompactJsonFormatter());
    }

    /// <summary>Request logs carry the path but never the query string, which may hold an access token.</summary>
    public static void ConfigureRedactedRequestLogging(this Serilog.AspNetCore.RequestLoggingOptions options, Serilog.ILogger logger)
    {
        options.Logger = logger;
        options.MessageTemplate = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0000} ms";
        options.GetLevel = (context, _, exception) =>
            exception is not null || context.Response.StatusCode >= 500 ? LogEventLevel.Error : LogEventLevel.Information;
        options.EnrichDiagnosticContext = (diagnostics, context) =>
        {
            diagnostics.Set("ConnectionId", context.Connection.Id);
        };
        options.IncludeQueryInRequestPath = false;
    }
}
