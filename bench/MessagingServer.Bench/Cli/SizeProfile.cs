namespace MessagingServer.Bench.Cli;

/// <summary>How big each scenario is. Tiny proves every path works in seconds; full is what the targets are about.</summary>
public sealed record SizeProfile(
    BenchSize Size,
    int[] RoundTripConnections,
    int TargetConnections,
    double RunSeconds,
    double WarmupSeconds,
    long MaxOperationsPerRun,
    int RelayConnections,
    int FanInUsers,
    int FanInPosters,
    int FanInMessages,
    double FanInSeconds,
    int[] IdleConnections,
    int ReconnectUsers,
    int MissedEvents,
    int JournalUsers,
    int JournalSendsPerUser,
    int JournalWindow,
    double JournalSeconds,
    int SignalRConnections,
    TimeSpan OperationTimeout,
    TimeSpan SettleTime,
    int ClusterConnections,
    int ClusterUserPool,
    int FailoverRounds,
    double[] StableAfterSeconds)
{
    /// <summary>Webhooks of each paced fan-in run (half the saturation rate): issue 15 asks for ≥ 2,000 at full size.</summary>
    public int FanInPacedMessages { get; init; } = 3_000;

    public static readonly SizeProfile Tiny = new(
        BenchSize.Tiny,
        RoundTripConnections: [1, 4],
        TargetConnections: 4,
        RunSeconds: 1,
        WarmupSeconds: 0.5,
        MaxOperationsPerRun: 2_000,
        RelayConnections: 2,
        FanInUsers: 8,
        FanInPosters: 4,
        FanInMessages: 40,
        FanInSeconds: 10,
        IdleConnections: [20, 40],
        ReconnectUsers: 8,
        MissedEvents: 20,
        JournalUsers: 4,
        JournalSendsPerUser: 10,
        JournalWindow: 4,
        JournalSeconds: 20,
        SignalRConnections: 4,
        OperationTimeout: TimeSpan.FromSeconds(10),
        SettleTime: TimeSpan.FromMilliseconds(300),
        ClusterConnections: 4,
        ClusterUserPool: 60,
        FailoverRounds: 1,
        StableAfterSeconds: [2]) { FanInPacedMessages = 40 };

    public static readonly SizeProfile Full = new(
        BenchSize.Full,
        RoundTripConnections: [1, 100, 1000],
        TargetConnections: 100,
        RunSeconds: 10,
        WarmupSeconds: 5,
        MaxOperationsPerRun: 5_000_000,
        RelayConnections: 100,
        FanInUsers: 1000,
        FanInPosters: 64,
        FanInMessages: 20_000,
        FanInSeconds: 60,
        IdleConnections: [10_000, 19_000],
        ReconnectUsers: 1000,
        MissedEvents: 20,
        JournalUsers: 100,
        JournalSendsPerUser: 200,
        JournalWindow: 8,
        JournalSeconds: 120,
        SignalRConnections: 100,
        OperationTimeout: TimeSpan.FromSeconds(10),
        SettleTime: TimeSpan.FromSeconds(2),
        ClusterConnections: 50,
        ClusterUserPool: 400,
        FailoverRounds: 3,
        StableAfterSeconds: [20, 5]) { FanInPacedMessages = 3_000 };

    public static SizeProfile For(BenchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var profile = options.Size == BenchSize.Tiny ? Tiny : Full;
        profile = options.RunSeconds is { } seconds ? profile with { RunSeconds = seconds } : profile;
        profile = options.StableAfterSeconds is { Count: > 0 } stableAfter ? profile with { StableAfterSeconds = [.. stableAfter] } : profile;
        return options.RoundTripConnections is { Count: > 0 } connections
            ? profile with { RoundTripConnections = [.. connections] }
            : profile;
    }
}
