using System.Globalization;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace MessagingServer.ProfileReport;

/// <summary>
/// A nettrace taken with <c>dotnet-trace collect --profile dotnet-sampled-thread-time,gc-verbose</c>: thread samples
/// that were running (not blocked) by component and by leaf frame, and the sampled allocations (AllocationTick,
/// about one event per 100 KB) by type and by the component whose frame allocated them.
/// </summary>
public static class TraceReport
{
    private const string SampleProvider = "Microsoft-DotNETCore-SampleProfiler";

    public static string Render(string nettracePath)
    {
        var etlx = TraceLog.CreateFromEventPipeDataFile(nettracePath);
        using var log = new TraceLog(etlx);
        var cpu = new Tally();
        var leaves = new Tally();
        var types = new Tally();
        var allocating = new Tally();
        var pauses = new GcPauses();
        long samples = 0;
        foreach (var ev in log.Events)
        {
            switch (ev)
            {
                // The sample profiler suspends the runtime too (about 100 times a second): only a GC's suspension is a GC pause.
                case GCSuspendEETraceData suspend when suspend.Reason is GCSuspendEEReason.SuspendForGC or GCSuspendEEReason.SuspendForGCPrep:
                    pauses.Suspended(ev.TimeStampRelativeMSec);
                    continue;
                case GCSuspendEETraceData:
                    pauses.Ignored();
                    continue;
                case { EventName: "GC/Start" } when ev.PayloadByName("Depth") is { } depth:
                    pauses.Collecting(Convert.ToInt32(depth, CultureInfo.InvariantCulture));
                    continue;
                case { EventName: "GC/RestartEEStop" }:
                    pauses.Restarted(ev.TimeStampRelativeMSec);
                    continue;
            }

            if (ev is GCAllocationTickTraceData tick)
            {
                types.Add(tick.TypeName ?? "?", tick.AllocationAmount64);
                allocating.Add(Components.Of(Frames(tick), allocation: true), tick.AllocationAmount64);
            }
            else if (ev.ProviderName == SampleProvider && Frames(ev) is { Count: > 0 } frames)
            {
                samples++;
                var first = frames.FirstOrDefault(f => !f.EndsWith("!?", StringComparison.Ordinal)) ?? frames[0];
                if (!Components.IsWait(first))
                {
                    cpu.Add(Components.Of(frames), 1);
                    leaves.Add(first, 1);
                }
            }
        }

        return string.Join("\n\n",
            string.Create(CultureInfo.InvariantCulture, $"{samples:N0} thread samples, {cpu.Total:N0} of them running (the rest blocked in waits)."),
            cpu.Table("component (nearest frame to the leaf)", "share of running samples", 20),
            leaves.Table("leaf frame", "share of running samples", 15),
            pauses.Summary(log.SessionDuration.TotalMilliseconds),
            string.Create(CultureInfo.InvariantCulture, $"{types.Total / 1048576.0:N0} MiB of allocations sampled."),
            allocating.Table("component allocating (nearest frame)", "share of bytes allocated", 20),
            types.Table("type allocated", "share of bytes allocated", 15));
    }

    private static List<string> Frames(TraceEvent ev)
    {
        var frames = new List<string>();
        for (var s = ev.CallStack(); s is not null; s = s.Caller)
        {
            frames.Add(s.CodeAddress.FullMethodName is { Length: > 0 } m ? m : s.CodeAddress.ModuleName + "!?");
        }

        return frames;
    }
}
