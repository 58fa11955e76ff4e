using MessagingServer.ProfileReport;

namespace MessagingServer.Bench.Tests;

/// <summary>
/// On-CPU samples from `perf script`: each sample is counted once, at the nearest frame that names a part of the
/// server, with kernel and libc frames passed over, and the runtime's own threads named when their stacks are bare.
/// </summary>
public sealed class PerfReportSpecs
{
    private static readonly string[] Script =
    [
        ".NET TP Worker  4801/4822  1275.631492:   10101010 cpu-clock: ",
        "\tffffffff816a3e99 _raw_spin_unlock_irqrestore+0x49 ([kernel.kallsyms])",
        "\t           f8350 __send+0x64 (/usr/lib/x86_64-linux-gnu/libc.so.6)",
        "\t    7f0012345678 instance void [MessagingServer] MessagingServer.Sockets.SocketBridge::Send(class System.String)[OptimizedTier1]+0x3f (/tmp/perf-4801.map)",
        "\t    7f0012345999 void [Akka] Akka.Actor.ActorCell::Invoke(valuetype Akka.Actor.Envelope)[OptimizedTier1]+0x10 (/tmp/perf-4801.map)",
        "",
        ".NET TP Worker  4801/4823  1275.641587:   10101010 cpu-clock: ",
        "\t          1a2b3c sqlite3VdbeExec+0x3fe (/app/runtimes/linux-x64/native/libe_sqlite3.so)",
        "\t    7f0012340000 int32 [SQLitePCLRaw.core] SQLitePCL.raw::sqlite3_step(class SQLitePCL.sqlite3_stmt)[OptimizedTier1]+0x22 (/tmp/perf-4801.map)",
        "",
        ".NET Server GC  4801/4810  1275.652989:   10101010 cpu-clock: ",
        "\t          6d50e [unknown] (/usr/share/dotnet/shared/Microsoft.NETCore.App/10.0.12/libcoreclr.so)",
        "\t          6d000 start_thread+0x305 (/usr/lib/x86_64-linux-gnu/libc.so.6)",
        "",
        ".NET TP Worker  4801/4824  1275.663000:   10101010 cpu-clock: ",
        "\t           f8350 fsync+0x3a (/usr/lib/x86_64-linux-gnu/libc.so.6)",
        "",
        "not a sample: no header before this frame?",
    ];

    [Fact]
    public void A_sample_header_names_its_thread_even_with_spaces_and_frames_lose_offsets()
    {
        var samples = PerfReport.Parse(Script).ToList();
        Assert.Equal(4, samples.Count);
        Assert.Equal(".NET TP Worker", samples[0].Thread);
        Assert.Equal(".NET Server GC", samples[2].Thread);
        Assert.Equal(4, samples[0].Frames.Count);
        Assert.Equal("__send (/usr/lib/x86_64-linux-gnu/libc.so.6)", samples[0].Frames[1]);
        Assert.Contains("MessagingServer.Sockets.SocketBridge.Send(class System.String)", samples[0].Frames[2], StringComparison.Ordinal);
        Assert.True(samples[0].InKernel);
        Assert.False(samples[1].InKernel);
    }

    [Fact]
    public void Each_sample_counts_where_the_server_spent_it()
    {
        var components = PerfReport.Parse(Script).Select(PerfReport.ComponentOf).ToList();
        Assert.Equal(
            ["MessagingServer (own code)", "SQLite (native step/prepare)", "GC and allocation", PerfReport.Unwalked],
            components);
    }

    [Fact]
    public void The_report_gives_cores_busy_and_shares_that_add_up()
    {
        var report = PerfReport.Render(Script, seconds: 4.0 / 99);
        Assert.Contains("4 on-CPU samples at 99 Hz", report, StringComparison.Ordinal);
        Assert.Contains("1.00 cores busy; 25.0 % of them in the kernel", report, StringComparison.Ordinal);
        Assert.Contains("| MessagingServer (own code) | 25.0 % |", report, StringComparison.Ordinal);
        Assert.Contains("| .NET TP Worker | 75.0 % |", report, StringComparison.Ordinal);
        // Inclusive: the first sample's Akka frame counts for Akka although its time is the server's own.
        Assert.Contains("| Akka actors (ask, dispatch, serialization, sharding) | 25.0 % |", report, StringComparison.Ordinal);
    }

    [Fact]
    public void Junk_and_an_empty_script_give_no_samples()
    {
        Assert.Empty(PerfReport.Parse(["", "\tffff orphan (x)", "   ", ""]));
        Assert.Contains("0 on-CPU samples", PerfReport.Render([], 10), StringComparison.Ordinal);
    }
}
