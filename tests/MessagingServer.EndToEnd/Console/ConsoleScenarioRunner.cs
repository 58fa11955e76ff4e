using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace MessagingServer.EndToEnd.WebConsole;

/// <summary>
/// One browser (<see cref="BrowserSession"/>) for the broadcast classes of the console, which run one after the
/// other: Node and Chromium start once for both.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ConsoleBroadcastCollection : ICollectionFixture<BrowserSession>
{
    public const string Name = "web console broadcasts";
}

/// <summary>Runs one scenario of <c>tests/browser/console.mjs</c> against a server and fails the test with all it printed.</summary>
internal static class ConsoleScenarioRunner
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(60);

    public static async Task RunAsync(
        BrowserSession browser,
        ITestOutputHelper output,
        Uri server,
        string scenario,
        string user,
        JsonObject? extra = null,
        Func<JsonObject, Task<JsonNode?>>? host = null)
    {
        if (BrowserScript.MissingPrerequisite() is { } missing)
        {
            Assert.Fail(missing);
        }

        var run = new JsonObject
        {
            ["scenario"] = scenario,
            ["url"] = server.GetLeftPart(UriPartial.Authority),
            ["user"] = user,
            ["token"] = TestTokens.For(user),
            ["artifacts"] = Path.Combine(AppContext.BaseDirectory, "console-artifacts"),
        };
        foreach (var (key, value) in extra ?? [])
        {
            run[key] = value?.DeepClone();
        }

        var result = await browser.RunAsync(run, host ?? (request => throw new InvalidOperationException($"'{scenario}' asks for nothing, not '{request["action"]}'")), ScriptTimeout);
        output.WriteLine(result.Output);
        output.WriteLine($"[test] {scenario}: {(result.ExitCode == 0 ? "passed" : "failed")} after {result.Elapsed.TotalSeconds:0.0} s");
        Assert.True(result.ExitCode == 0, $"browser scenario '{scenario}' failed:\n{result.Output}");
    }

    /// <summary>A user of its own per test, so the tests of a class can share one server.</summary>
    public static string NewUser(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];
}
