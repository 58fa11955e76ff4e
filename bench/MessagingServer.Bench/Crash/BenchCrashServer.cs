using MessagingServer.Bench.Processes;
using MessagingServer.Bench.Scenarios;
using MessagingServer.TestSupport.Crash;

namespace MessagingServer.Bench.Crash;

/// <summary>
/// The crash rounds' server as the bench starts it: one name, so every start opens the same SQLite file in the
/// work folder (and appends to the same log); a new free port each time; ready once <c>/health/ready</c> answers.
/// </summary>
public sealed class BenchCrashServer(ScenarioContext context, IReadOnlyDictionary<string, string> settings) : ICrashRoundServer, IAsyncDisposable
{
    public const string Name = "crash-server";

    private BenchProcess? _process;

    public Uri BaseAddress => Current.BaseUri;

    /// <summary>The running process (for its log when a round goes wrong).</summary>
    public BenchProcess Current => _process ?? throw new InvalidOperationException("the crash server is not started");

    public string TokenFor(string userId) => context.Tokens.For(userId);

    public async Task KillHardAsync()
    {
        if (_process is { } process)
        {
            await process.KillHardAsync();
        }
    }

    public async Task RestartAsync()
    {
        if (_process is { } old)
        {
            await old.DisposeAsync();
        }

        _process = null;
        _process = await context.StartServerAsync(Name, settings);
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { } process)
        {
            await process.DisposeAsync();
        }
    }
}
