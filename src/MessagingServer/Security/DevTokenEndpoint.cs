using MessagingServer.Domain;
using MessagingServer.Domain.Protocol;
using MessagingServer.Endpoints;

namespace MessagingServer.Security;

/// <summary>
/// <c>GET /dev/token?userId=</c>: a token for anyone, for the web console's "Get a dev token" button.
/// Mapped only in Development, where the server signs with its built-in development key.
/// </summary>
public static class DevTokenEndpoint
{
    public const string Path = "/dev/token";

    public static IEndpointRouteBuilder MapDevTokenEndpoint(this IEndpointRouteBuilder endpoints, IHostEnvironment environment)
    {
        if (environment.IsDevelopment())
        {
            endpoints.MapGet(Path, (string? userId, TokenIssuer issuer) =>
                UserId.TryParse(userId, out var user)
                    ? Results.Json(new DevToken(issuer.Issue(user), user.Value))
                    : Problems.Result(StatusCodes.Status400BadRequest, ErrorCodes.InvalidUser, "Give ?userId= of 1–64 letters, digits, '-', '_', '.' or '@'"))
                .AllowAnonymous();
        }

        return endpoints;
    }

    public sealed record DevToken(string Token, string UserId);
}
