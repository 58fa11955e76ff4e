using System.Diagnostics;

namespace MessagingServer.Bench.Shared;

/// <summary>
/// The same <c>GET /bench/counters</c> the server exposes in bench mode, for the baselines and the fake
/// Twilio, so that allocations and CPU per message are read the same way on both sides of a ratio.
/// </summary>
public static class BenchCountersEndpoint
{
    public static IEndpointRouteBuilder MapBenchCounters(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/bench/counters", (bool? collect) =>
        {
            if (collect == true)
            {
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
                GC.WaitForPendingFinalizers();
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            }

            using var process = Process.GetCurrentProcess();
            return Results.Json(new Counters(
                GC.GetTotalAllocatedBytes(precise: true),
                process.TotalProcessorTime.TotalMilliseconds,
                GC.GetTotalMemory(forceFullCollection: false)));
        });
        return endpoints;
    }

    private sealed record Counters(long AllocatedBytes, double CpuMs, long HeapBytes);
}
