using MessagingServer.Bench.Shared;
using MessagingServer.TestSupport.Twilio;

// The shared fake Twilio (tests/MessagingServer.TestSupport) as its own process on 127.0.0.1, for the bench
// tool: POST /2010-04-01/Accounts/{sid}/Messages.json answers like Twilio (201, JSON), then the message's
// StatusCallback gets signed status callbacks (FakeTwilio__CallbackStatuses, e.g. sent,delivered).
// Settings: FakeTwilio__AccountSid, FakeTwilio__AuthToken, ... and --urls http://127.0.0.1:PORT.
//
// `simulate-sms --from ... --to ... --body ...` instead plays Twilio once: it posts a signed inbound SMS to a
// running server, with the server's own Twilio__* settings (docs/twilio.md).
if (args.FirstOrDefault() == SimulateSmsCommand.Name)
{
    var settings = new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true)
        .AddEnvironmentVariables()
        .Build();
    using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
    return await SimulateSmsCommand.RunAsync(args, settings, http, Console.Out, Console.Error, CancellationToken.None);
}

var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();
var options = new FakeTwilioOptions { RecordRequests = false };
configuration.GetSection(FakeTwilioOptions.Section).Bind(options);
await using var fake = await FakeTwilio.StartAsync(options, configuration["urls"], (endpoints, twilio) =>
{
    endpoints.MapGet("/", () => "fake twilio");
    endpoints.MapGet("/stats", () => Results.Json(twilio.Stats));
    endpoints.MapBenchCounters();
});
await fake.WaitForShutdownAsync();
return 0;
