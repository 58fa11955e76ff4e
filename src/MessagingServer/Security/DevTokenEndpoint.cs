using MessagingServer.Domain;
using MessagingServer.Domain.Protocol;
using MessagingServer.Endpoints;
using Microsoft.Extensions.Options;

namespace MessagingServer.Security;

/// <summary>
/// <c>GET /dev/token?userId=</c>: a token for any user, for the web console's "Get a dev token" button.
/// Mapped only while the server signs with the published development key (so only in Development, and
/// never once a key of one's own is configured), and it answers only callers on this machine
/// (<see cref="DevTokenCallerPolicy"/>); anyone else gets 403.
/// </summary>
public static class DevTokenEndpoint
{
    public const string Path = "/dev/token";

    public static IEndpointRouteBuilder MapDevTokenEndpoint(this IEndpointRouteBuilder endpoints, IConfiguration configuration)
    {
        var auth = endpoints.ServiceProvider.GetRequiredService<IOptions<AuthOptions>>().Value;
        if (!auth.UsesDevelopmentKey)
        {
            return endpoints;
        }

        var callers = new DevTokenCallerPolicy(configuration["AllowedHosts"]);
        endpoints.MapGet(Path, (string? userId, HttpContext context, TokenIssuer issuer) =>
            {
                if (!callers.IsAllowed(context.Connection.RemoteIpAddress, context.Request.Host))
                {
                    return Problems.Result(StatusCodes.Status403Forbidden, SecurityProblems.Forbidden, "Development tokens are given only to callers on this machine, through localhost or a host in AllowedHosts");
                }

                return UserId.TryParse(userId, out var user)
                    ? Results.Json(new DevToken(issuer.Issue(user), user.Value))
                    : Problems.Result(StatusCodes.Status400BadRequest, ErrorCodes.InvalidUser, "Give ?userId= of 1–64 letters, digits, '-', '_', '.' or '@'");
            })
            .AllowAnonymous();
        return endpoints;
    }

    public sealed record DevToken(string Token, string UserId);
}
