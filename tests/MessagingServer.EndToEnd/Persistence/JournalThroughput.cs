using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using MessagingServer.EndToEnd.Infrastructure;
using Xunit.Abstractions;

namespace MessagingServer.EndToEnd.Persistence;

/// <summary>
/// Measures the journal through the full server: many <see cref="JournalProbeActor"/>s, each persisting one
/// event at a time (as a session does), and prints events per second. A measurement, not an assertion: only
/// that every event arrived is checked. Sizes come from <c>PROBE_ACTORS</c> / <c>PROBE_EVENTS</c> when set.
/// </summary>
public static class JournalThroughput
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    public static int Actors => FromEnvironment("PROBE_ACTORS", 200);

    public static int EventsPerActor => FromEnvironment("PROBE_EVENTS", 20);

    public static async Task<double> MeasureAsync(RunningServer server, ITestOutputHelper output, string label, int actors, int eventsPerActor)
    {
        var runId = Guid.NewGuid().ToString("N")[..8];
        var probes = Enumerable.Range(0, actors).Select(i => server.StartProbe($"throughput-{runId}-{i}")).ToArray();
        // Recovery (and on a fresh database the creation of the tables) is not part of the measurement.
        await Task.WhenAll(probes.Select(p => p.ContentsAsync(Timeout)));

        var clock = Stopwatch.StartNew();
        foreach (var probe in probes)
        {
            for (var seq = 1; seq <= eventsPerActor; seq++)
            {
                probe.Tell(new JournalProbeActor.StoreOne(SampleEvents.Numbered(seq)));
            }
        }

        // A persistent actor holds back commands while it persists, so this answers after its last write.
        var contents = await Task.WhenAll(probes.Select(p => p.ContentsAsync(Timeout)));
        clock.Stop();

        Assert.All(contents, c => Assert.Equal(eventsPerActor, c.LastSequenceNr));
        var total = actors * eventsPerActor;
        var perSecond = total / clock.Elapsed.TotalSeconds;
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{label}: {actors} actors x {eventsPerActor} events = {total} events in {clock.Elapsed.TotalMilliseconds:0} ms = {perSecond:0} events/s"));
        await Task.WhenAll(probes.Select(p => p.GracefulStop(Timeout)));
        return perSecond;
    }

    private static int FromEnvironment(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : fallback;
}
