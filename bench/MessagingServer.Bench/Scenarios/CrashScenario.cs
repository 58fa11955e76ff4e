using System.Globalization;
using MessagingServer.Bench.Crash;
using MessagingServer.TestSupport.Crash;
using MessagingServer.TestSupport.Twilio;

namespace MessagingServer.Bench.Scenarios;

/// <summary>
/// Crash rounds (issue 14, items 1 and 2 as a fault class): 20 seeded SIGKILL rounds (<c>--rounds</c>,
/// <c>--seed</c>) on one SQLite file, each a new user's burst through the fake Twilio at 1/s, killed at a
/// random moment while it drains and started again; the same rounds and checks as the end-to-end
/// <c>CrashRoundsSpecs</c> (TestSupport's <see cref="CrashRounds"/>), at bench size.
/// </summary>
public sealed class CrashScenario : IScenario
{
    public const int DefaultRounds = 20;

    public static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(60);

    public string Name => Cli.ScenarioNames.Crash;

    public string Title => "Crash rounds: SIGKILL while a burst drains through the fake Twilio at 1/s, restart on the same SQLite file";

    public async Task<ScenarioResult> RunAsync(ScenarioContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var rounds = context.Options.RoundsGiven ? context.Options.Rounds : context.IsTiny ? 1 : DefaultRounds;
        var seed = context.Options.Seed ?? System.Security.Cryptography.RandomNumberGenerator.GetInt32(int.MaxValue);
        context.Log($"crash: {rounds} round(s), seed {seed} (--seed {seed} replays the kill moments)");

        // The shared fake in this process (bench/FakeTwilio hosts the same code): the rounds read what it received.
        await using var twilio = await FakeTwilio.StartAsync(new FakeTwilioOptions());
        await using var server = new BenchCrashServer(context, CrashRounds.ServerEnvironment(twilio));
        await server.RestartAsync();
        var run = await new CrashRounds(server, twilio, context.Log).RunAsync(rounds, seed, SettleTimeout, context.Cancel);
        if (run.StoppedBy is not null)
        {
            context.Log($"crash: the server's log ({server.Current.LogPath}) ends:\n{server.Current.LogTail(20)}");
        }

        return new ScenarioResult(
            Name, Title,
            string.Create(CultureInfo.InvariantCulture,
                $"one server (SQLite in the work folder, Twilio through the shared fake at `Twilio:MessagesPerSecond` 1, `Twilio:ReconcileWindow` 3 s). " +
                $"Each round a new user sends {CrashRounds.SendsPerRound} SMS at once on a socket and waits for their acknowledgements; the server is " +
                $"killed with SIGKILL a seeded random 0 to {CrashRounds.SendsPerRound * 0.7:0.0} s later and started again on the same file. Checked each round: " +
                $"every acknowledged send is in the history, no SMS reached Twilio twice, every send Twilio had not seen at the kill went out after the " +
                $"restart (but at most the first {CrashRoundChecks.MaxCallsInFlight} unseen, which may have been on the wire, may end `not_sent`), " +
                $"calls Twilio had seen end only `outcome_unknown` or `not_sent`; after the last round, no earlier round's send failed since. " +
                $"Ready again: from the restart to `/health/ready`; settled: from the restart until every send is at Twilio or failed."),
            [CrashReport.RoundsTable(run)],
            CrashReport.Checks(run, rounds),
            CrashReport.Notes(run, rounds));
    }
}
