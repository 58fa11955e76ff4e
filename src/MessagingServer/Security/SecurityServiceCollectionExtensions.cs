using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MessagingServer.Security;

public static class SecurityServiceCollectionExtensions
{
    /// <summary>
    /// Tokens (JwtBearer, HS256), the <see cref="SameUserPolicy"/>, origin checks, handshake rate limits,
    /// socket caps' settings (the per-user send limit is the session's), the token issuer and the trusted-proxy settings.
    /// </summary>
    public static IServiceCollection AddMessagingSecurity(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.TryAddSingleton(TimeProvider.System);

        services.AddMessagingAuthOptions(configuration, environment);

        services.AddOptions<LimitsOptions>()
            .Bind(configuration.GetSection(LimitsOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddOptions<ForwardedHeadersSettings>()
            .Bind(configuration.GetSection(ForwardedHeadersSettings.Section))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ForwardedHeadersSettings>, ForwardedHeadersSettingsValidator>();

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddSingleton<IConfigureOptions<JwtBearerOptions>, JwtBearerOptionsSetup>();
        services.AddAuthorizationBuilder().AddPolicy(SameUserPolicy.Name, policy => policy
            .AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme)
            .RequireAuthenticatedUser()
            .AddRequirements(new SameUserRequirement()));
        services.AddSingleton<IAuthorizationHandler, SameUserAuthorizationHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();

        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>()
            .Configure<IOptions<LimitsOptions>>((options, limits) => HandshakeRateLimiting.Configure(options, limits.Value));
        return services;
    }

    /// <summary>
    /// <see cref="AuthOptions"/> (with the Development key when due, validated on start) and the
    /// <see cref="TokenIssuer"/>; shared by the server and the <c>token</c> command so both read one configuration.
    /// </summary>
    internal static IServiceCollection AddMessagingAuthOptions(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<AuthOptions>()
            .Bind(configuration.GetSection(AuthOptions.Section))
            .PostConfigure(options => DevelopmentSigningKey.ApplyWhenMissing(options, environment))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AuthOptions>>(new AuthOptionsValidator(environment)));
        services.TryAddSingleton<TokenIssuer>();
        return services;
    }
}
