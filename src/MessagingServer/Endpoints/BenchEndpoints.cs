using System.Diagnostics;

namespace MessagingServer.Endpoints;

/// <summary>
/// <c>GET /bench/counters</c>: the process's allocation and CPU totals, read by the load tool in
/// <c>bench/</c> before and after a run to get bytes allocated and CPU time per message. Mapped only
/// when <c>Bench:Enabled</c> is <c>true</c>; a normal server has no such route.
/// <c>?collect=true</c> runs a full blocking GC first, so <c>heapBytes</c> counts live objects only.
/// </summary>
public static class BenchEndpoints
{
    public const string EnabledKey = "Bench:Enabled";

    public static IEndpointRouteBuilder MapBenchEndpoints(this IEndpointRouteBuilder endpoints, IConfiguration configuration)
    {
        if (configuration.GetValue<bool>(EnabledKey))
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
                return Results.Json(new BenchCounters(
                    GC.GetTotalAllocatedBytes(precise: true),
                    process.TotalProcessorTime.TotalMilliseconds,
                    GC.GetTotalMemory(forceFullCollection: false)));
            });
        }

        return endpoints;
    }

    /// <summary>Totals since the process started; <see cref="HeapBytes"/> is the managed heap now.</summary>
    public sealed record BenchCounters(long AllocatedBytes, double CpuMs, long HeapBytes);
}
