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
        // HttpClientFactory writes four Information lines per call (two per handler); the Twilio client logs its own.
        // Settings may still lower it: they are read after.
        logger
            .MinimumLevel.Override("System.Net.Http.HttpClient", LogEventLevel.Warning)
            .ReadFrom.Configuration(configuration)
            .ReadFrom.Services(services)
            .Enrich.FromLogContext()
            .Enrich.With<Security.TokenRedactingEnricher>()
            // Last, so that it sees every property: no client-chosen text writes a line break or an escape sequence.
            .Enrich.With<Observability.ControlCharacterEscapingEnricher>();

        // Sinks come from code so that a newcomer needs no configuration: text for people, JSON for machines.
        return environment.IsDevelopment()
            ? logger.WriteTo.Console(outputTemplate: DevelopmentTemplate, formatProvider: System.Globalization.CultureInfo.InvariantCulture)
            : logger.WriteTo.Console(new RenderedCompactJsonFormatter());
    }

    /// <summary>Requests slower than this are logged at Information even when they succeed.</summary>
    public static readonly TimeSpan SlowRequest = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Failures are errors; refusals (4xx), sockets (one line when each closes) and slow requests are information;
    /// fast successes (webhooks, API calls: thousands a second, counted in the metrics) are debug. A line for each
    /// of those cost about a sixth of the server's CPU per inbound SMS.
    /// </summary>
    public static LogEventLevel RequestLevel(HttpContext context, double elapsedMs, Exception? exception)
    {
        ArgumentNullException.ThrowIfNull(context);
        var status = context.Response.StatusCode;
        return exception is not null || status >= 500 ? LogEventLevel.Error
            : status >= 400 || status == StatusCodes.Status101SwitchingProtocols || elapsedMs >= SlowRequest.TotalMilliseconds ? LogEventLevel.Information
            : LogEventLevel.Debug;
    }

    /// <summary>Request logs carry the path but never the query string, which may hold an access token.</summary>
    public static void ConfigureRedactedRequestLogging(this Serilog.AspNetCore.RequestLoggingOptions options, Serilog.ILogger logger)
    {
        options.Logger = logger;
        options.MessageTemplate = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0000} ms";
        options.GetLevel = RequestLevel;
        options.EnrichDiagnosticContext = (diagnostics, context) =>
        {
            diagnostics.Set("ConnectionId", context.Connection.Id);
        };
        options.IncludeQueryInRequestPath = false;
    }
}
