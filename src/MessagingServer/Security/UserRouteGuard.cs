using Microsoft.AspNetCore.Authorization;

namespace MessagingServer.Security;

/// <summary>
/// Finds user endpoints (<c>/message/{userId}...</c>, <c>/api/users/{userId}...</c>) mapped without the
/// <see cref="SameUserPolicy"/>: a forgotten <c>RequireSameUser()</c> would open a user's data to anyone.
/// The server logs them as errors at start; a test can assert there are none.
/// </summary>
public static partial class UserRouteGuard
{
    private static readonly string[] UserRoutePrefixes = ["message/{userId", "api/users/{userId"];

    public static IReadOnlyList<string> FindUnguarded(EndpointDataSource endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => IsUserRoute(e.RoutePattern.RawText))
            .Where(e => !e.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy == SameUserPolicy.Name))
            .Select(e => e.RoutePattern.RawText ?? e.DisplayName ?? "?")
            .Distinct(StringComparer.Ordinal)
            .ToArray();
    }

    internal static void LogUnguarded(IServiceProvider services, ILogger logger)
    {
        var unguarded = FindUnguarded(services.GetRequiredService<EndpointDataSource>());
        if (unguarded.Count > 0)
        {
            LogUnguardedRoutes(logger, string.Join(", ", unguarded));
        }
    }

    private static bool IsUserRoute(string? pattern)
    {
        var route = pattern?.TrimStart('/') ?? "";
        return UserRoutePrefixes.Any(prefix => route.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "User endpoints without the SameUser policy (anyone can reach them; add RequireSameUser()): {Routes}")]
    private static partial void LogUnguardedRoutes(ILogger logger, string routes);
}
