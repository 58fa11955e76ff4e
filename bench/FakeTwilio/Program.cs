using MessagingServer.Bench.FakeTwilio;
using MessagingServer.Bench.Shared;

// A stand-in for Twilio's REST API for the bench tool, as its own process on 127.0.0.1:
// POST /2010-04-01/Accounts/{sid}/Messages.json answers like Twilio (201, JSON), then the message's
// StatusCallback gets signed status callbacks (sent, delivered) as Twilio would post them.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddOptions<FakeTwilioOptions>().Bind(builder.Configuration.GetSection(FakeTwilioOptions.Section));
builder.Services.AddSingleton<FakeTwilioApi>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<FakeTwilioApi>());

var app = builder.Build();
var api = app.Services.GetRequiredService<FakeTwilioApi>();
app.MapGet("/", () => "fake twilio");
app.MapPost("/2010-04-01/Accounts/{accountSid}/Messages.json", api.CreateMessageAsync);
app.MapGet("/stats", () => Results.Json(api.Stats()));
app.MapBenchCounters();
await app.RunAsync();
