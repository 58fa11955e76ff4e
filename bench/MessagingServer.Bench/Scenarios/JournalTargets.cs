namespace MessagingServer.Bench.Scenarios;

/// <summary>Issue 15's journal target: the sessions store no fewer events/s than the "before" run did, on each database.</summary>
public static class JournalTargets
{
    /// <summary>Issue 15's "before" figures (events/s, full run).</summary>
    public const double BeforeSqliteEventsPerSecond = 44_855;
    public const double BeforePostgresEventsPerSecond = 31_333;

    /// <summary>The "no worse" target text for a before figure.</summary>
    public static string NoWorse(double before) => "≥ " + Fmt.Num(before, "N0") + " (issue 15's before: no worse)";

    /// <summary>Events/s of the sessions against issue 15's before figure of the mode (none for the in-memory journal).</summary>
    public static TargetCheck NoWorseCheck(string mode, double eventsPerSecond)
    {
        var metric = $"events/s stored by the sessions, {mode} (median), no worse than before";
        return mode switch
        {
            "sqlite" => TargetCheck.AtLeast(metric, eventsPerSecond, BeforeSqliteEventsPerSecond, "N0"),
            "postgresql" => TargetCheck.AtLeast(metric, eventsPerSecond, BeforePostgresEventsPerSecond, "N0"),
            _ => TargetCheck.NotMeasured(metric, "no worse than before", "in-memory journal"),
        };
    }
}
