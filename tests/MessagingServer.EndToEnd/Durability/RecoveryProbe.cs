using System.Diagnostics;
using MessagingServer.EndToEnd.Infrastructure;
using MessagingServer.Sessions;
using MessagingServer.Sms;
using Xunit.Abstractions;

namespace MessagingServer.EndToEnd.Durability;

/// <summary>
/// Measures how long one user's session takes to recover a long history after a restart (snapshot plus the
/// events after it). A measurement, not a timed test: it prints the figure and asserts only correctness.
/// <c>RECOVERY_PROBE_EVENTS=100000</c> gives the figure quoted in the issue note; CI runs a small size.
/// </summary>
public sealed class RecoveryProbe(ITestOutputHelper output)
{
    [Fact]
    public async Task A_long_history_recovers_complete_and_the_time_is_reported()
    {
        var events = int.TryParse(Environment.GetEnvironmentVariable("RECOVERY_PROBE_EVENTS"), out var n) ? n : 2_000;
        var folder = TestFolders.Create("recovery");
        var settings = new Dictionary<string, string?>
        {
            ["Persistence:SqlitePath"] = Path.Combine(folder, "messaging.db"),
            ["Routing:Numbers:+15550004242"] = "historian",
        };
        try
        {
            var server = await RunningServer.StartAsync(settings);
            var ingress = server.Services.GetRequiredService<ISmsIngress>();
            var written = Stopwatch.StartNew();
            for (var start = 1; start <= events; start += 200)
            {
                var batch = Enumerable.Range(start, Math.Min(200, events - start + 1))
                    .Select(i => ingress.ReceiveAsync(new InboundSms("+15550001111", "+15550004242", $"history {i}", [], $"SMh{i}"), CancellationToken.None));
                Assert.All(await Task.WhenAll(batch), r => Assert.Equal(IngressResult.Stored, r));
            }

            written.Stop();
            await server.DisposeAsync();

            server = await RunningServer.StartAsync(settings);
            await using (server)
            {
                var registry = await server.Services.GetRequiredService<Akka.Hosting.IRequiredActor<ChatSessionRegistry>>().GetAsync();
                var recovery = Stopwatch.StartNew();
                var info = await Akka.Actor.Futures.Ask<SessionInfo>(registry, new ChatSessionCommands.GetSessionInfo("historian"), TimeSpan.FromMinutes(2));
                recovery.Stop();

                Assert.Equal(events, info.LastSeq);
                output.WriteLine($"[recovery] {events} events written in {written.Elapsed.TotalSeconds:0.0} s ({events / written.Elapsed.TotalSeconds:0} events/s); recovered in {recovery.Elapsed.TotalMilliseconds:0} ms");
                Console.WriteLine($"[recovery] {events} events: written {events / written.Elapsed.TotalSeconds:0} events/s, recovered in {recovery.Elapsed.TotalMilliseconds:0} ms");
            }
        }
        finally
        {
            TestFolders.Delete(folder);
        }
    }
}
