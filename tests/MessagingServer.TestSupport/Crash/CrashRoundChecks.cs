using System.Text.Json.Nodes;

namespace MessagingServer.TestSupport.Crash;

/// <summary>
/// The invariants a crash round checks, over what the user's history and the fake Twilio show (pure: no I/O).
/// Nothing acknowledged is lost, no SMS reaches Twilio twice, a send Twilio had not seen at the kill goes out
/// after recovery (but for the call the kill may have caught between its start record and Twilio, which is
/// looked up and ends <c>not_sent</c>), and a call Twilio had seen may end only unknown
/// (<c>outcome_unknown</c>, or <c>not_sent</c> once reconciled).
/// </summary>
public static class CrashRoundChecks
{
    /// <summary>Sends go to Twilio one after another in acknowledgement order; at most this many can be on the wire at once.</summary>
    public const int MaxCallsInFlight = 2;

    public static IEnumerable<string> Check(
        int round, string user, IReadOnlyList<string> acked, IReadOnlySet<string> seenAtKill, IReadOnlyList<string> seen, IReadOnlyList<JsonObject> events)
    {
        ArgumentNullException.ThrowIfNull(acked);
        ArgumentNullException.ThrowIfNull(seenAtKill);
        ArgumentNullException.ThrowIfNull(seen);
        var stored = Outbound(events).ToDictionary(e => Text(e, "body"), e => Text(e, "id"), StringComparer.Ordinal);
        foreach (var body in acked.Where(b => !stored.ContainsKey(b)))
        {
            yield return $"round {round} ({user}): acknowledged '{body}' is not in the history";
        }

        foreach (var twice in seen.GroupBy(b => b, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            yield return $"round {round}: '{twice.Key}' reached Twilio {twice.Count()} times";
        }

        var failedIds = Failed(events).ToDictionary(f => Text(f, "id"), f => (string?)f["error"]?["code"], StringComparer.Ordinal);
        var maybeStarted = acked.Where(b => !seenAtKill.Contains(b)).Take(MaxCallsInFlight).ToHashSet(StringComparer.Ordinal);
        foreach (var (body, id) in stored)
        {
            if (!failedIds.TryGetValue(id, out var code))
            {
                continue;
            }

            if (!seenAtKill.Contains(body) && !(code == "not_sent" && maybeStarted.Contains(body)))
            {
                yield return $"round {round}: '{body}' never reached Twilio before the kill but failed ({code})";
            }
            else if (code is not ("outcome_unknown" or "not_sent"))
            {
                yield return $"round {round}: '{body}' was on the wire at the kill and failed with {code}, not as unknown or not sent";
            }
        }
    }

    /// <summary>Every send of the round reached Twilio or failed: nothing is left waiting.</summary>
    public static bool AllOut(IReadOnlyList<JsonObject> events, IReadOnlyCollection<string> seen, int sends)
    {
        ArgumentNullException.ThrowIfNull(seen);
        var failed = FailedIds(events);
        var seenSet = seen.ToHashSet(StringComparer.Ordinal);
        var open = Outbound(events).Count(e => !seenSet.Contains(Text(e, "body")) && !failed.Contains(Text(e, "id")));
        return open == 0 && seenSet.Count + failed.Count >= sends;
    }

    /// <summary>What is still waiting: the round's bodies neither at Twilio nor failed.</summary>
    public static string Missing(int round, int sends, IReadOnlyCollection<string> seen, IReadOnlyList<JsonObject> events) =>
        $"round {round}: neither reached Twilio nor failed after the restart: " +
        string.Join(", ", Enumerable.Range(0, sends).Select(i => Body(round, i)).Except(seen, StringComparer.Ordinal)) +
        "; the user's events: " + string.Join(" ", events.Select(e => $"{e["type"]}/{e["status"]}/{e["error"]?["code"]}"));

    public static HashSet<string> FailedIds(IEnumerable<JsonObject> events) => [.. Failed(events).Select(f => Text(f, "id"))];

    public static IEnumerable<JsonObject> Failed(IEnumerable<JsonObject> events) =>
        events.Where(e => (string?)e["type"] == "status" && (string?)e["status"] == "failed");

    public static int NotSent(IEnumerable<JsonObject> events) => Failed(events).Count(f => (string?)f["error"]?["code"] == "not_sent");

    /// <summary>The body of the round's send <paramref name="index"/>; the fake Twilio's records are matched by it.</summary>
    public static string Body(int round, int index) => $"round {round} {index}";

    /// <summary>The bodies of this round's sends that reached Twilio, in arrival order, repeats included.</summary>
    public static List<string> SeenBy(IEnumerable<string> twilioBodies, int round) =>
        [.. twilioBodies.Where(b => b.StartsWith($"round {round} ", StringComparison.Ordinal))];

    private static IEnumerable<JsonObject> Outbound(IEnumerable<JsonObject> events) => events.Where(e => (string?)e["type"] == "outbound");

    private static string Text(JsonObject frame, string name) => (string?)frame[name] ?? "";
}
