using MessagingServer.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace MessagingServer.EndToEnd.Infrastructure;

/// <summary>
/// The whole server on real Kestrel, on a loopback port the OS picks. Unless the settings name a
/// <c>Persistence:SqlitePath</c>, it stores into a SQLite file of its own that is deleted with it.
/// </summary>
public sealed class RunningServer : IAsyncDisposable
{
    private readonly string? _ownDataFolder;

    private RunningServer(WebApplication app, Uri baseAddress, string? ownDataFolder)
    {
        App = app;
        BaseAddress = baseAddress;
        _ownDataFolder = ownDataFolder;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public WebApplication App { get; }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => App.Services;

    /// <summary>The signing key every test server uses unless a test sets <c>Auth:SigningKey</c> (Development uses its own key).</summary>
    public const string TestSigningKey = TestTokens.SigningKey;

    public Uri WebSocketUri(string pathAndQuery) =>
        new($"{(BaseAddress.Scheme == Uri.UriSchemeHttps ? "wss" : "ws")}://{BaseAddress.Authority}{pathAndQuery}");

    public Uri WebSocketBase => WebSocketUri("/");

    /// <summary>An HTTP client that calls as <paramref name="userId"/> (Bearer token), one per user.</summary>
    public HttpClient HttpFor(string userId) => _userClients.GetOrAdd(userId, id =>
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", TokenFor(id));
        return client;
    });

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, HttpClient> _userClients = new();

    /// <summary>A token for <paramref name="userId"/> signed with this server's key.</summary>
    public string TokenFor(string userId, TimeSpan? lifetime = null) =>
        Services.GetRequiredService<MessagingServer.Security.TokenIssuer>().Issue(MessagingServer.Domain.UserId.Parse(userId), lifetime);

    /// <param name="settings">Configuration on top of everything else.</param>
    /// <param name="configure">Runs on the builder after the server's own services are added.</param>
    /// <param name="map">Maps test-only endpoints after the server's own, before start.</param>
    /// <param name="url">Where to listen; <c>https://127.0.0.1:0</c> needs a certificate in <paramref name="settings"/>.</param>
    /// <param name="environment">The host environment; in Development no test key is set, so the Development key applies.</param>
    public static async Task<RunningServer> StartAsync(
        IDictionary<string, string?>? settings = null,
        Action<WebApplicationBuilder>? configure = null,
        Action<WebApplication>? map = null,
        string url = "http://127.0.0.1:0",
        string environment = "Testing")
    {
        string? ownDataFolder = null;
        if (settings is null || !settings.ContainsKey("Persistence:SqlitePath"))
        {
            ownDataFolder = TestFolders.Create("server");
            settings = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
            {
                ["Persistence:SqlitePath"] = Path.Combine(ownDataFolder, "messaging.db"),
            };
        }

        WebApplication? app = null;
        try
        {
            app = MessagingServerApp.Build(
                ["--urls", url, "--environment", environment],
                builder =>
                {
                    if (!builder.Environment.IsDevelopment())
                    {
                        builder.Configuration.AddInMemoryCollection([new("Auth:SigningKey", TestSigningKey)]);
                    }

                    builder.Configuration.AddInMemoryCollection(settings);
                    configure?.Invoke(builder);
                });
            map?.Invoke(app);
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!
                .Addresses.Single();
            return new RunningServer(app, new Uri(address), ownDataFolder);
        }
        catch
        {
            if (app is not null)
            {
                await app.DisposeAsync();
            }

            TestFolders.Delete(ownDataFolder);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        foreach (var client in _userClients.Values)
        {
            client.Dispose();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await App.StopAsync(timeout.Token);
        await App.DisposeAsync();
        TestFolders.Delete(_ownDataFolder);
    }
}
