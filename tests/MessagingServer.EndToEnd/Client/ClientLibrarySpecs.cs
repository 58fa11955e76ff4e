using MessagingServer.EndToEnd.Infrastructure;
using MessagingServer.EndToEnd.WebConsole;
using Xunit.Abstractions;

namespace MessagingServer.EndToEnd.Client;

/// <summary>
/// The JavaScript client library (clients/js) passes its own tests on Node's test runner: the unit tests against a
/// fake socket, and the end-to-end ones that start this build's server as a process, kill -9 it and start it again.
/// </summary>
public sealed class ClientLibrarySpecs(ITestOutputHelper output)
{
    [Fact]
    public async Task The_client_library_passes_its_unit_and_end_to_end_tests_against_this_server()
    {
        var folder = Folder();
        Assert.True(
            Directory.Exists(Path.Combine(folder, "node_modules", "ws")),
            $"{folder}/node_modules is missing: run bash .ci/run, the README's test command (it runs npm ci in clients/js).");

        var result = await BrowserScript.RunAsync(
            ["--test", "--test-reporter=tap", "--test-concurrency=1", "test/"],
            TimeSpan.FromSeconds(240),
            environment: new Dictionary<string, string> { ["MESSAGING_SERVER_DLL"] = ServerProcess.ServerAssemblyPath },
            workingDirectory: folder);
        output.WriteLine(result.Output);

        Assert.True(result.ExitCode == 0, $"node --test in clients/js failed (exit {result.ExitCode}):\n{result.Output}");
        Assert.Contains("# fail 0", result.Output, StringComparison.Ordinal);
        Assert.Contains("# skipped 0", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("# pass 0", result.Output, StringComparison.Ordinal);
    }

    private static string Folder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "clients", "js");
            if (File.Exists(Path.Combine(candidate, "package.json")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"clients/js not found above {AppContext.BaseDirectory}");
    }
}
