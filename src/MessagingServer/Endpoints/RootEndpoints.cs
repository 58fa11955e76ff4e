namespace MessagingServer.Endpoints;

public static class RootEndpoints
{
    public const string WelcomeText = "Welcome to messaging service.";

    public static IEndpointRouteBuilder MapRootEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", () => Results.Text(WelcomeText, "text/plain; charset=utf-8"));
        return endpoints;
    }
}
