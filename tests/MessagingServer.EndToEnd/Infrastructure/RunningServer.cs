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

    public Uri WebSocketUri(string pathAndQuery) =>
        new($"ws://{BaseAddress.Authority}{pathAndQuery}");

    public Uri WebSocketBase => new($"ws://{BaseAddress.Authority}/");

    /// <summary>A loopback port that was free a moment ago, for a server that must know its own URL before it starts.</summary>
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static async Task<RunningServer> StartAsync(
        IDictionary<string, string?>? settings = null,
        Action<WebApplicationBuilder>? configure = null,
        int port = 0)
    {
        var app = MessagingServerApp.Build(
            ["--urls", $"http://127.0.0.1:{port}", "--environment", "Testing"],
            builder =>
            {
                if (settings is not null)
                {
                    builder.Configuration.AddInMemoryCollection(settings);
                }

                configure?.Invoke(builder);
            });
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
