using System.Reflection;

namespace MessagingServer.Bench.Processes;

/// <summary>Where the built servers are: the repository's build outputs, in the tool's own configuration.</summary>
public sealed record Artifacts(string RepoRoot, string Configuration, string ServerDll, string BaselineDll, string FakeTwilioDll)
{
    public const string TargetFramework = "net10.0";

    public static string BuildConfiguration =>
        typeof(Artifacts).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "BuildConfiguration")?.Value ?? "Release";

    public static Artifacts Locate()
    {
        var root = FindRepoRoot(AppContext.BaseDirectory) ?? FindRepoRoot(Directory.GetCurrentDirectory())
            ?? throw new InvalidOperationException("cannot find the repository (MessagingServer.sln) above the tool or the current folder");
        var configuration = BuildConfiguration;
        string Output(string project, string dll) => Path.Combine(root, project, "bin", configuration, TargetFramework, dll);
        return new Artifacts(
            root,
            configuration,
            Output(Path.Combine("src", "MessagingServer"), "MessagingServer.dll"),
            Output(Path.Combine("bench", "BaselineServers"), "BaselineServers.dll"),
            Output(Path.Combine("bench", "FakeTwilio"), "FakeTwilio.dll"));
    }

    public IEnumerable<string> Missing() =>
        new[] { ServerDll, BaselineDll, FakeTwilioDll }.Where(p => !File.Exists(p));

    public static string? FindRepoRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MessagingServer.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
