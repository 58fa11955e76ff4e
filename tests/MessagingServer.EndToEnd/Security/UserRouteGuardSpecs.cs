using MessagingServer.EndToEnd.Infrastructure;
using MessagingServer.Security;

namespace MessagingServer.EndToEnd.Security;

public sealed class UserRouteGuardSpecs
{
    [Fact]
    public async Task A_user_endpoint_mapped_without_the_policy_is_reported_and_guarded_ones_are_not()
    {
        await using var server = await RunningServer.StartAsync(map: app =>
        {
            SecuredTestEndpoints.Map(app);
            app.MapGet("/api/users/{userId}/forgotten", (string userId) => userId);
        });

        var unguarded = UserRouteGuard.FindUnguarded(server.Services.GetRequiredService<EndpointDataSource>());

        Assert.Contains("/api/users/{userId}/forgotten", unguarded);
        Assert.DoesNotContain("/api/users/{userId}/probe", unguarded);
        Assert.DoesNotContain("/message/{userId}/probe", unguarded);
        Assert.DoesNotContain("/affirm", unguarded);
    }
}
