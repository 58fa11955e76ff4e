using System.Globalization;
using MessagingServer.EndToEnd.Infrastructure;
using MessagingServer.TestSupport.Crash;
using MessagingServer.TestSupport.Twilio;
using Xunit.Abstractions;

namespace MessagingServer.EndToEnd.Durability;

/// <summary>
/// Randomized SIGKILL rounds through the fake Twilio at one SMS a second (issue 14, items 1 and 2 as a fault
/// class), the CI-sized run of the rounds the bench's <c>crash</c> scenario runs 20 of (the same code, in
/// TestSupport's <see cref="CrashRounds"/>): each round a new user sends a burst, the server is killed at a
/// seeded random moment while the burst drains, and restarted on the same SQLite file. Checked every round:
/// nothing acknowledged is lost, no SMS reaches Twilio twice, a send Twilio had not seen at the kill goes out
/// after recovery (but for the call the kill caught between its start record and Twilio, which ends
/// <c>not_sent</c>), only a call Twilio had seen may end unknown, and the earlier rounds' sends keep what they
/// had. 4 rounds in CI; <c>CRASH_ROUNDS</c> (and <c>CRASH_SEED</c> to replay) for more.
/// </summary>
public sealed class CrashRoundsSpecs(ITestOutputHelper output)
{
    private static int Rounds => int.TryParse(System.Environment.GetEnvironmentVariable("CRASH_ROUNDS"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 4;

    private static int Seed => int.TryParse(System.Environment.GetEnvironmentVariable("CRASH_SEED"), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var s)
        ? s
        : System.Security.Cryptography.RandomNumberGenerator.GetInt32(int.MaxValue);

    [Fact]
    public async Task Every_round_of_kill_and_restart_keeps_every_send_once_and_fails_only_calls_that_were_on_the_wire()
    {
        var seed = Seed;
        output.WriteLine($"crash rounds: {Rounds}, seed {seed} (CRASH_SEED={seed} replays the kill moments)");
        await using var twilio = await FakeTwilio.StartAsync();
        var folder = TestFolders.Create("crash-rounds");
        var environment = CrashRounds.ServerEnvironment(twilio);
        environment["Persistence__SqlitePath"] = Path.Combine(folder, "messaging.db");
        var server = new RestartedProcess(environment);
        try
        {
            await server.RestartAsync();
            var run = await new CrashRounds(server, twilio, output.WriteLine).RunAsync(Rounds, seed, TimeSpan.FromSeconds(60), CancellationToken.None);

            output.WriteLine($"violations: {run.Violations.Count}");
            Assert.True(run.Violations.Count == 0, $"seed {seed}: " + string.Join("; ", run.Violations));
        }
        finally
        {
            await server.DisposeAsync();
            TestFolders.Delete(folder);
        }
    }

    /// <summary>The e2e suite's server process, killed and started again on the same environment (and so the same SQLite file).</summary>
    private sealed class RestartedProcess(Dictionary<string, string> environment) : ICrashRoundServer, IAsyncDisposable
    {
        private ServerProcess? _process;

        public Uri BaseAddress => (_process ?? throw new InvalidOperationException("not started")).BaseAddress;

        public string TokenFor(string userId) => TestTokens.For(userId);

        public async Task KillHardAsync()
        {
            if (_process is { } process)
            {
                process.KillHard();
                await process.WaitForExitAsync(TimeSpan.FromSeconds(10));
            }
        }

        public async Task RestartAsync()
        {
            if (_process is { } old)
            {
                await old.DisposeAsync();
            }

            _process = null;
            _process = await ServerProcess.StartAsync(environment, TimeSpan.FromSeconds(60));
        }

        public async ValueTask DisposeAsync()
        {
            if (_process is { } process)
            {
                await process.DisposeAsync();
            }
        }
    }
}
