using System.Globalization;
using System.Text.RegularExpressions;

namespace MessagingServer.ProfileReport;

/// <summary>
/// On-CPU samples from <c>perf record -e cpu-clock -g</c>, read from <c>perf script</c>'s text. Unlike a thread-time
/// trace, every sample here is a thread that was running, so a share is a share of CPU: a thread blocked in a wait is
/// never sampled. JIT-compiled frames have names when the server ran with <c>DOTNET_PerfMapEnabled=1</c>.
/// Kernel and libc frames carry no component of their own: a sample in a syscall counts for the managed code that made it.
/// </summary>
public static partial class PerfReport
{
    private const string KernelDso = "([kernel.kallsyms])";

    /// <summary>A sample's thread name and its frames, leaf first, each as "symbol (dso)" with <c>::</c> written as <c>.</c>.</summary>
    public sealed record Sample(string Thread, IReadOnlyList<string> Frames)
    {
        public bool InKernel => Frames.Count > 0 && Frames[0].EndsWith(KernelDso, StringComparison.Ordinal);
    }

    public static IEnumerable<Sample> Parse(IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        string? thread = null;
        var frames = new List<string>();
        foreach (var line in lines)
        {
            if (line.Length == 0)
            {
                if (thread is not null)
                {
                    yield return new Sample(thread, frames);
                }

                thread = null;
                frames = [];
            }
            else if (char.IsWhiteSpace(line[0]))
            {
                if (thread is not null && Frame(line) is { } frame)
                {
                    frames.Add(frame);
                }
            }
            else
            {
                if (thread is not null)
                {
                    yield return new Sample(thread, frames);
                    frames = [];
                }

                thread = Header().Match(line) is { Success: true } header ? header.Groups["comm"].Value.Trim() : null;
            }
        }

        if (thread is not null)
        {
            yield return new Sample(thread, frames);
        }
    }

    public static string Render(IEnumerable<string> perfScript, double seconds)
    {
        var cpu = new Tally();
        var leaves = new Tally();
        var threads = new Tally();
        var under = new Tally();
        long kernel = 0;
        foreach (var sample in Parse(perfScript))
        {
            cpu.Add(ComponentOf(sample), 1);
            leaves.Add(sample.Frames.Count > 0 ? sample.Frames[0] : "?", 1);
            threads.Add(sample.Thread, 1);
            foreach (var (name, marks) in Components.Cpu)
            {
                if (sample.Frames.Any(f => Attributable(f) && Components.Marks(f, marks)))
                {
                    under.Add(name, 1);
                }
            }

            kernel += sample.InKernel ? 1 : 0;
        }

        var cores = seconds > 0 ? cpu.Total / 99.0 / seconds : 0;
        return string.Join("\n\n",
            string.Create(CultureInfo.InvariantCulture,
                $"{cpu.Total:N0} on-CPU samples at 99 Hz over {seconds:0} s: {cores:0.00} cores busy; {(cpu.Total == 0 ? 0 : 100.0 * kernel / cpu.Total):0.0} % of them in the kernel."),
            cpu.Table("component (nearest frame to the leaf)", "share of CPU", 20),
            under.Table("component anywhere on the stack (inclusive)", "share of CPU", 20, of: cpu.Total),
            threads.Table("thread", "share of CPU", 10),
            leaves.Table("leaf frame", "share of CPU", 15));
    }

    public const string Unwalked = "kernel and libc, caller not walked (a native frame without a frame pointer)";

    /// <summary>
    /// The nearest component frame; failing that, the runtime's own threads by name (their native stacks have no
    /// symbols), and a stack that stops in the kernel or libc is one perf could not walk up to its managed caller.
    /// </summary>
    public static string ComponentOf(Sample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        var component = Components.Of(sample.Frames.Where(Attributable));
        if (component != Components.Other)
        {
            return component;
        }

        if (sample.Thread.Contains("GC", StringComparison.Ordinal))
        {
            return Components.Gc;
        }

        if (sample.Thread.Contains("Tiered Com", StringComparison.Ordinal))
        {
            return Components.Jit;
        }

        return sample.Frames.Count > 0 && !sample.Frames.Any(f => f.Contains("/perf-", StringComparison.Ordinal)) && !Attributable(sample.Frames[0])
            ? Unwalked
            : component;
    }

    /// <summary>Kernel, libc and unresolved frames say where a thread was, not which part of the server sent it there.</summary>
    private static bool Attributable(string frame) =>
        !frame.EndsWith(KernelDso, StringComparison.Ordinal)
        && !frame.Contains("/libc.so", StringComparison.Ordinal)
        && !frame.StartsWith("[unknown]", StringComparison.Ordinal);

    /// <summary>"comm pid/tid time: period event:": the comm may hold spaces, the pid and the time never do.</summary>
    [GeneratedRegex(@"^(?<comm>\S.*?)\s+\d+(/\d+)?\s+\d+\.\d+:", RegexOptions.CultureInvariant)]
    private static partial Regex Header();

    /// <summary>"\taddress symbol+0x1f (dso)" → "symbol (dso)"; <c>::</c> becomes <c>.</c> so perf-map names match the trace's.</summary>
    private static string? Frame(string line)
    {
        var text = line.Trim();
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0)
        {
            return null;
        }

        var rest = text[(space + 1)..];
        var dso = rest.LastIndexOf(" (", StringComparison.Ordinal);
        var symbol = dso >= 0 ? rest[..dso] : rest;
        var offset = symbol.LastIndexOf("+0x", StringComparison.Ordinal);
        if (offset > 0)
        {
            symbol = symbol[..offset];
        }

        return (symbol + (dso >= 0 ? rest[dso..] : string.Empty)).Replace("::", ".", StringComparison.Ordinal);
    }
}
