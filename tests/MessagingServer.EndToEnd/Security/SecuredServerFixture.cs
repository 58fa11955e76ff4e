using MessagingServer.EndToEnd.Infrastructure;

namespace MessagingServer.EndToEnd.Security;

/// <summary>One server with the test user endpoints, shared by a test class; its tests only read.</summary>
public sealed class SecuredServerFixture : IAsyncLifetime
{
    public const string AllowedOrigin = "https://app.example";

    public RunningServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await RunningServer.StartAsync(
        new Dictionary<string, string?>
        {
            ["Auth:AllowedOrigins:0"] = AllowedOrigin,
            ["Auth:ClockSkew"] = "00:00:00",
            ["Limits:HandshakesPerWindow"] = "100000",
        },
        map: SecuredTestEndpoints.Map);

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
