using MessagingServer.ProfileReport;

namespace MessagingServer.Bench.Tests;

/// <summary>GC pauses from a trace: a GC's suspension to the next restart; the profiler's own suspensions do not count.</summary>
public sealed class GcPausesSpecs
{
    [Fact]
    public void A_pause_runs_from_a_gc_suspension_to_the_restart_and_other_suspensions_are_not_pauses()
    {
        var pauses = new GcPauses();
        pauses.Suspended(100);
        pauses.Collecting(0);
        pauses.Restarted(101.5);
        pauses.Ignored();
        pauses.Restarted(200);
        pauses.Suspended(300);
        pauses.Collecting(1);
        pauses.Restarted(340);
        pauses.Restarted(400);

        Assert.Equal(new (double Ms, int Generation)[] { (1.5, 0), (40.0, 1) }, pauses.Pauses);
        var summary = pauses.Summary(traceMs: 1000);
        Assert.Contains("GC pauses: 2 in 1.0 s", summary, StringComparison.Ordinal);
        Assert.Contains("4.2 % of the time stopped", summary, StringComparison.Ordinal);
        Assert.Contains("max 40.00 ms", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void A_restart_before_its_suspension_is_not_a_negative_pause()
    {
        var pauses = new GcPauses();
        pauses.Suspended(50);
        pauses.Restarted(40);
        Assert.Empty(pauses.Pauses);
        Assert.Equal("no GC pauses in the trace", pauses.Summary(100));
    }
}
