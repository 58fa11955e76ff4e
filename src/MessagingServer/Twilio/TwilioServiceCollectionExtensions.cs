using MessagingServer.Routing;
using MessagingServer.Sms;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MessagingServer.Twilio;

public static class TwilioServiceCollectionExtensions
{
    /// <summary>
    /// Binds and validates <see cref="TwilioOptions"/> (at start), and, only when Twilio is configured,
    /// makes <see cref="TwilioSmsService"/> THE
    /// <see cref="IClientMessagingService"/>: any earlier registration (the loopback provider) is removed.
    /// Call it after every configuration source is added and after the default provider is registered
    /// (or register that one with <c>TryAdd</c>).
    /// </summary>
    public static IServiceCollection AddTwilio(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(TwilioOptions.Section);
        services.AddOptions<TwilioOptions>().Bind(section).ValidateOnStart();
        services.AddHealthChecks().AddCheck<SmsProviderHealthCheck>(SmsProviderHealthCheck.Name, tags: [Health.HealthEndpoints.ReadyTag]);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TwilioOptions>, TwilioOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        var current = section.Get<TwilioOptions>() ?? new TwilioOptions();
        if (!current.IsConfigured)
        {
            return services;
        }

        services.AddTwilioHttpClient();
        services.TryAddSingleton<TwilioSmsService>();
        services.RemoveAll<IClientMessagingService>();
        // Paced per sender number by the sender entities (Senders/SenderActor), the only callers of this service.
        services.AddSingleton<IClientMessagingService>(provider => provider.GetRequiredService<TwilioSmsService>());

        // Users who own no number send from Twilio's sender, unless Routing:DefaultFrom says otherwise.
        services.AddOptions<RoutingOptions>().PostConfigure<IOptions<TwilioOptions>>((routing, twilio) =>
        {
            if (!string.IsNullOrWhiteSpace(twilio.Value.From)
                && string.IsNullOrWhiteSpace(configuration[$"{RoutingOptions.Section}:{nameof(RoutingOptions.DefaultFrom)}"]))
            {
                routing.DefaultFrom = twilio.Value.From;
            }
        });
        return services;
    }

    /// <summary>
    /// The named <c>twilio</c> HttpClient that every SDK call goes through: <see cref="TwilioOptions.RequestTimeout"/>
    /// per call (the SDK takes no CancellationToken, so this is what bounds a call), no redirects (as the SDK's
    /// own client), <see cref="TwilioApiBaseHandler"/> for <see cref="TwilioOptions.ApiBaseUrl"/>, and
    /// <see cref="TwilioResponseSizeLimit"/> so that no answer is read past <see cref="TwilioOptions.MaxResponseBytes"/>.
    /// </summary>
    public static IHttpClientBuilder AddTwilioHttpClient(this IServiceCollection services)
    {
        services.TryAddTransient<TwilioApiBaseHandler>();
        services.TryAddTransient<TwilioResponseSizeLimit>();
        return services.AddHttpClient(TwilioSmsService.HttpClientName)
            .ConfigureHttpClient((provider, client) => client.Timeout = provider.GetRequiredService<IOptions<TwilioOptions>>().Value.RequestTimeout)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2), AllowAutoRedirect = false })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .AddHttpMessageHandler<TwilioApiBaseHandler>()
            .AddHttpMessageHandler<TwilioResponseSizeLimit>();
    }
}
