using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MessagingServer.Persistence;

/// <summary>Registers stored types with the host's <see cref="StoredTypeRegistry"/> (one per host, so one per actor system).</summary>
public static class StoredTypeServices
{
    /// <summary>
    /// Stores <typeparamref name="T"/> as JSON under <paramref name="manifest"/> in this host, e.g.
    /// <c>services.AddStoredType&lt;ChatSessionSnapshot&gt;("session-snapshot.v1")</c>. Conflicts are reported when
    /// the registry is first resolved (the actor system's start).
    /// </summary>
    public static IServiceCollection AddStoredType<T>(this IServiceCollection services, string manifest)
        where T : class
    {
        services.AddStoredTypeRegistry();
        services.AddSingleton(new Registration(types => types.Register<T>(manifest)));
        return services;
    }

    /// <summary>The host's registry: the session events plus every type added with <see cref="AddStoredType{T}"/>.</summary>
    public static IServiceCollection AddStoredTypeRegistry(this IServiceCollection services)
    {
        services.TryAddSingleton(sp =>
        {
            var types = new StoredTypeRegistry();
            foreach (var registration in sp.GetServices<Registration>())
            {
                registration.Apply(types);
            }

            return types;
        });
        return services;
    }

    private sealed record Registration(Action<StoredTypeRegistry> Apply);
}
