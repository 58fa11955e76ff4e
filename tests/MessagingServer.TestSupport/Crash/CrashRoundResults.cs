namespace MessagingServer.TestSupport.Crash;

/// <summary>
/// One round: when the kill came (after the burst was acknowledged), how many of the burst Twilio had seen by
/// then, how long the server took to be ready again and every send to reach Twilio or fail after the restart
/// (null when some never did), how many ended <c>not_sent</c>, and what broke the round's invariants.
/// </summary>
public sealed record CrashRoundResult(
    int Round,
    string User,
    TimeSpan KillAfter,
    int Sends,
    int Acknowledged,
    int SeenAtKill,
    TimeSpan ReadyAgain,
    TimeSpan? Settled,
    int NotSent,
    IReadOnlyList<string> Violations);

/// <summary>A whole run: its seed (which replays the kill moments), its rounds, and what later kills did to earlier rounds.</summary>
public sealed record CrashRunResult(int Seed, IReadOnlyList<CrashRoundResult> Rounds, IReadOnlyList<string> LaterViolations, string? StoppedBy)
{
    /// <summary>Every violation: each round's, the earlier rounds' after later kills, and what stopped the run early.</summary>
    public IReadOnlyList<string> Violations =>
        [.. Rounds.SelectMany(r => r.Violations), .. LaterViolations, .. StoppedBy is null ? [] : new[] { StoppedBy }];
}
