using Akka.Actor;
using Akka.Hosting;

namespace MessagingServer.Hosting;

/// <summary>Starts the actor system inside the host; the host's shutdown runs Akka's coordinated shutdown.</summary>
internal static class AkkaSetup
{
    public const string ActorSystemName = "messaging";

    public static IServiceCollection AddMessagingAkka(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddAkka(ActorSystemName, (builder, provider) =>
        {
            builder.ConfigureLoggers(loggers =>
            {
                loggers.ClearLoggers();
                loggers.AddLoggerFactory();
            });
            // The host owns the process's lifetime: Akka's own SIGTERM/SIGINT hook would run the whole coordinated
            // shutdown inside the signal handler, before the host's stopping event (sockets kept open meanwhile and
            // the hand-off racing them). Without it SIGTERM stops the host, whose Akka service runs the same shutdown.
            builder.AddHocon("akka.coordinated-shutdown.run-by-clr-shutdown-hook = off", HoconAddMode.Prepend);
            // Before any actor starts (Akka.Hosting runs every WithActors before any AddStartup, in order).
            builder.WithActors((system, _) => SchedulerStart.Run(system));
            foreach (var contributor in provider.GetServices<IAkkaContributor>())
            {
                contributor.Configure(builder, provider);
            }
        });
        return services;
    }
}

/// <summary>A feature that adds actors or settings to the one Akka.Hosting composition root.</summary>
public interface IAkkaContributor
{
    void Configure(AkkaConfigurationBuilder builder, IServiceProvider provider);
}
