using System.Globalization;
using MessagingServer.ProfileReport;

// Profiles behind docs/benchmarks.md's analysis; how each was taken is in bench/ProfileReport/README.md.
//   trace FILE.nettrace                  CPU by component and allocations by type, from dotnet-trace
//   perf SCRIPT.txt SECONDS              on-CPU shares by component and thread, from `perf script` of a perf record
//   heap BEFORE.txt AFTER.txt USERS      live heap growth per user, from two `dotnet-gcdump report` listings
const string Usage = "usage: ProfileReport trace FILE.nettrace | perf SCRIPT.txt SECONDS | heap BEFORE.txt AFTER.txt USERS";
switch (args)
{
    case ["trace", var path] when File.Exists(path):
        Console.WriteLine(TraceReport.Render(path));
        return 0;
    case ["perf", var script, var duration] when File.Exists(script) && double.TryParse(duration, CultureInfo.InvariantCulture, out var seconds) && seconds > 0:
        Console.WriteLine(PerfReport.Render(File.ReadLines(script), seconds));
        return 0;
    case ["heap", var before, var after, var users] when File.Exists(before) && File.Exists(after) && int.TryParse(users, out var n) && n > 0:
        Console.WriteLine(HeapReport.Render(File.ReadLines(before), File.ReadLines(after), n));
        return 0;
    default:
        Console.Error.WriteLine(Usage);
        return 2;
}
