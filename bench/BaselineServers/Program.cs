using MessagingServer.Bench.Baselines;
using MessagingServer.Bench.Baselines.Durable;
using MessagingServer.Bench.Baselines.Journal;
using MessagingServer.Bench.Shared;

// What the bench tool compares the server with, as one small process:
//   /bare/echo            bare Kestrel WebSocket echo (round trip, idle sockets)
//   /bare/inbox/{user}    sockets fed by POST /bare/sms, a signed webhook with no actors or storage (fan-in)
//   /bare/replay          welcome + N events from memory on connect (reconnect storm)
//   /relay/{user}         send -> plain HttpClient call to the provider -> signed status callbacks -> socket (relay)
//   /hub                  a SignalR hub doing the round trip and the fan-in without storage (SendDurable: after storing)
//   /durable/echo         the echo, answering each frame after storing a round trip's four rows (group commit, SQLite)
// `journal ...` instead runs the standalone journal write test and exits.
if (args.Length > 0 && args[0] == "journal")
{
    return await StandaloneJournal.RunAsync(args[1..], Console.Out);
}

var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
// The server's accept queue (Messaging:ListenBacklog), so that a connect storm compares per-connection cost, not
// which side happened to overflow Kestrel's 512 and wait out a one-second SYN retry.
builder.WebHost.UseSockets(sockets => sockets.Backlog = 4096);
builder.Services.AddSignalR();
builder.Services.AddSingleton<SocketDirectory>();
builder.Services.AddSingleton<Routing>();
builder.Services.AddOptions<ProviderSettings>().Bind(builder.Configuration.GetSection(ProviderSettings.Section));
builder.Services.AddHttpClient(PlainRelay.ClientName)
    .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
    {
        MaxConnectionsPerServer = 256,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
    });
builder.Services.AddSingleton<PlainRelay>();
builder.Services.AddSingleton(_ => new DurableLog(builder.Configuration["Durable:SqlitePath"] ?? Path.Combine(Directory.GetCurrentDirectory(), $"durable-baseline-{Environment.ProcessId}.db")));

var app = builder.Build();
app.UseWebSockets();
app.MapGet("/", () => "baselines");
app.MapBareEndpoints();
app.MapRelayEndpoints();
app.MapDurableEndpoints();
app.MapHub<BenchHub>("/hub");
app.MapPost("/hub/sms", BenchHub.InboundAsync);
app.MapBenchCounters();
await app.RunAsync();
return 0;
