namespace MessagingServer.Security;

/// <summary>The authorization policy of everything under <c>/message/{userId}</c> and <c>/api/users/{userId}</c>.</summary>
public static class SameUserPolicy
{
    public const string Name = "SameUser";

    /// <summary>
    /// Requires a valid token whose <c>sub</c> equals the route's <c>{userId}</c>: no or bad token 401,
    /// another user's token 403, both before the endpoint runs (so before any WebSocket upgrade).
    /// Works on a route group as on a single endpoint.
    /// </summary>
    public static TBuilder RequireSameUser<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(Name);
}
