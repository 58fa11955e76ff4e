using MessagingServer.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace MessagingServer.EndToEnd.Infrastructure;

/// <summary>The whole server on real Kestrel, on a loopback port the OS picks.</summary>
public sealed class RunningServer : IAsyncDisposable
{
    private RunningServer(WebApplication app, Uri baseAddress)
    {
        App = app;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public WebApplication App { get; }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => App.Services;

    /// <summary>The signing key every test server uses unless a test sets <c>Auth:SigningKey</c> (Development uses its own key).</summary>
    public const string TestSigningKey = "messaging-server-end-to-end-tests-signing-key-0123456789";

    public Uri WebSocketUri(string pathAndQuery) =>
        new($"{(BaseAddress.Scheme == Uri.UriSchemeHttps ? "wss" : "ws")}://{BaseAddress.Authority}{pathAndQuery}");

    public Uri WebSocketBase => WebSocketUri("/");

    /// <summary>A loopback port that was free a moment ago, for a server that must know its own URL before it starts.</summary>
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

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
        var app = MessagingServerApp.Build(
            ["--urls", url, "--environment", environment],
            builder =>
            {
                if (!builder.Environment.IsDevelopment())
                {
                    builder.Configuration.AddInMemoryCollection([new("Auth:SigningKey", TestSigningKey)]);
                }

                if (settings is not null)
                {
                    builder.Configuration.AddInMemoryCollection(settings);
                }

                configure?.Invoke(builder);
            });
        map?.Invoke(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!
            .Addresses.Single();
        return new RunningServer(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await App.StopAsync(timeout.Token);
        await App.DisposeAsync();
    }
}
