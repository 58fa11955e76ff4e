using Microsoft.AspNetCore.Authorization;
using Microsoft.IdentityModel.JsonWebTokens;

namespace MessagingServer.Security;

/// <summary>The token's <c>sub</c> must equal the route's <c>{userId}</c>.</summary>
public sealed class SameUserRequirement : IAuthorizationRequirement
{
    public const string RouteValue = "userId";
}

/// <summary>
/// Succeeds when the authenticated <c>sub</c> equals the <c>{userId}</c> route value (ordinal). An
/// endpoint under this policy without a <c>{userId}</c> is refused: failing closed beats guessing.
/// </summary>
internal sealed partial class SameUserAuthorizationHandler(ILogger<SameUserAuthorizationHandler> logger)
    : AuthorizationHandler<SameUserRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, SameUserRequirement requirement)
    {
        if (context.Resource is not HttpContext http || context.User.Identity?.IsAuthenticated != true)
        {
            return Task.CompletedTask;
        }

        var subject = context.User.FindFirst(JwtRegisteredClaimNames.Sub)?.Value;
        if (http.GetRouteValue(SameUserRequirement.RouteValue) is not string routeUser)
        {
            LogNoUserInRoute(logger, http.Request.Path);
            return Task.CompletedTask;
        }

        if (subject is not null && string.Equals(subject, routeUser, StringComparison.Ordinal))
        {
            context.Succeed(requirement);
        }
        else
        {
            LogOtherUser(logger, subject, routeUser);
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused user {Subject} access to user {RouteUser}")]
    private static partial void LogOtherUser(ILogger logger, string? subject, string routeUser);

    [LoggerMessage(Level = LogLevel.Error, Message = "The SameUser policy guards {Path}, whose route has no userId parameter: refused")]
    private static partial void LogNoUserInRoute(ILogger logger, PathString path);
}
