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

    public Uri WebSocketUri(string pathAndQuery) =>
        new($"ws://{BaseAddress.Authority}{pathAndQuery}");

    public static async Task<RunningServer> StartAsync(
        IDictionary<string, string?>? settings = null,
        Action<WebApplicationBuilder>? configure = null)
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
                ["--urls", "http://127.0.0.1:0", "--environment", "Testing"],
                builder =>
                {
                    builder.Configuration.AddInMemoryCollection(settings);
                    configure?.Invoke(builder);
                });
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
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await App.StopAsync(timeout.Token);
        await App.DisposeAsync();
        TestFolders.Delete(_ownDataFolder);
    }
}
