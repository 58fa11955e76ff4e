namespace MessagingServer.Bench.Scenarios;

public interface IScenario
{
    string Name { get; }

    string Title { get; }

    /// <summary>Starts what it needs, measures, stops what it started; a missing server feature is a skip, not an error.</summary>
    Task<ScenarioResult> RunAsync(ScenarioContext context);
}

public static class Scenarios
{
    public static IScenario Create(string name) => name switch
    {
        Cli.ScenarioNames.RoundTrip => new RoundTripScenario(),
        Cli.ScenarioNames.Relay => new RelayScenario(),
        Cli.ScenarioNames.FanIn => new FanInScenario(),
        Cli.ScenarioNames.Idle => new IdleScenario(),
        Cli.ScenarioNames.Reconnect => new ReconnectScenario(),
        Cli.ScenarioNames.Journal => new JournalScenario(),
        Cli.ScenarioNames.SignalR => new SignalRScenario(),
        Cli.ScenarioNames.Cluster => new ClusterScenario(),
        Cli.ScenarioNames.Soak => new SoakScenario(),
        Cli.ScenarioNames.Busy => new BusyScenario(),
        Cli.ScenarioNames.Crash => new CrashScenario(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown scenario"),
    };

    /// <summary>The one command that runs a scenario, for the docs.</summary>
    public static string Command(string name) =>
        $"dotnet run -c Release --project bench/MessagingServer.Bench -- {name}";
}
