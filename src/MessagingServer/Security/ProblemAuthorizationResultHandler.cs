using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace MessagingServer.Security;

/// <summary>
/// Lets the default handler challenge or forbid (status and <c>WWW-Authenticate</c>), then adds the
/// problem body with a stable code: <c>unauthorized</c> for 401, <c>forbidden</c> for 403.
/// </summary>
internal sealed class ProblemAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        await _default.HandleAsync(next, context, policy, authorizeResult);
        if (authorizeResult.Challenged)
        {
            await SecurityProblems.WriteAsync(
                context,
                StatusCodes.Status401Unauthorized,
                SecurityProblems.Unauthorized,
                "A valid access token is required",
                "Send a token that is signed by this server and not expired, as 'Authorization: Bearer <token>' "
                + "or, on /message and /api/users paths, as the access_token query parameter.");
        }
        else if (authorizeResult.Forbidden)
        {
            await SecurityProblems.WriteAsync(
                context,
                StatusCodes.Status403Forbidden,
                SecurityProblems.Forbidden,
                "This token may not act for this user",
                "The token's subject is not the user in the path.");
        }
    }
}
