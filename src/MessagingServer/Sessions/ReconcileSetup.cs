using MessagingServer.Observability;
using MessagingServer.Sms;
using Microsoft.Extensions.Options;

namespace MessagingServer.Sessions;

/// <summary>Registers reconciliation: its settings (checked at start) and its metrics (its stored event is in <see cref="Persistence.StoredTypes"/>).</summary>
public static class ReconcileSetup
{
    public static IServiceCollection AddReconciliation(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ReconcileOptions>().Bind(configuration.GetSection(ReconcileOptions.Section))
            .Validate(o => o.Problem() is null, "Twilio:ReconcileWindow, ReconcileFirstDelay and ReconcileMaxDelay must be positive, and the max at least the first")
            .ValidateOnStart();
        services.AddSingleton<ReconcileMetrics>();
        return services;
    }

    /// <summary>The lookups sessions make, through the same provider the senders call.</summary>
    public static SendLookups LookupsFrom(IServiceProvider services) => new(
        Senders.SendersSetup.ProviderFrom(services),
        services.GetRequiredService<IOptions<ReconcileOptions>>().Value,
        services.GetRequiredService<ReconcileMetrics>());
}
