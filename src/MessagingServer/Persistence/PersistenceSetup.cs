using MessagingServer.Health;
using MessagingServer.Hosting;
using Microsoft.Extensions.Options;

namespace MessagingServer.Persistence;

/// <summary>Registers storage: options (validated on start), the Akka plugins and serializer, and the <c>storage</c> readiness check.</summary>
public static class PersistenceSetup
{
    public static IServiceCollection AddMessagingPersistence(
        this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddOptions<PersistenceOptions>()
            .Bind(configuration.GetSection(PersistenceOptions.Section))
            .Configure(o => o.ConnectionString = configuration.GetConnectionString(PersistenceOptions.ConnectionStringName))
            .PostConfigure(o =>
            {
                if (!string.IsNullOrWhiteSpace(o.SqlitePath))
                {
                    o.SqlitePath = Path.GetFullPath(o.SqlitePath, environment.ContentRootPath);
                }
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<PersistenceOptions>, PersistenceOptionsValidator>();
        services.AddSingleton(sp => StorageDatabase.From(sp.GetRequiredService<IOptions<PersistenceOptions>>().Value));
        services.AddStoredTypeRegistry();
        services.AddSingleton<SqliteFileLock>();
        services.AddSingleton<IAkkaContributor, PersistenceAkkaContributor>();
        services.AddSingleton(sp => new StorageHealthGate(
            sp.GetService<TimeProvider>() ?? TimeProvider.System, sp.GetRequiredService<IOptions<PersistenceOptions>>().Value.HealthCheckInterval));
        services.AddHealthChecks().AddCheck<StorageHealthCheck>(StorageHealthCheck.Name, tags: [HealthEndpoints.ReadyTag]);
        return services;
    }
}
