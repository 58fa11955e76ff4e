namespace MessagingServer.Domain.Sessions;

/// <summary>
/// Sends handed to their sender and not answered yet, with their correlation ids: asked for again until answered,
/// and answered once (a request asked for twice may be answered twice; the second answer is dropped). Not stored:
/// after a restart the session hands every send with no stored answer to its sender again.
/// </summary>
public sealed class PendingCalls
{
    private readonly Dictionary<string, string?> _awaiting = new(StringComparer.Ordinal);

    public int Count => _awaiting.Count;

    /// <summary>True when the send was not awaited yet.</summary>
    public bool Add(string messageId, string? correlationId) => _awaiting.TryAdd(messageId, correlationId);

    /// <summary>True for the first answer to an awaited send, false for any later or unasked-for one.</summary>
    public bool Answer(string messageId) => _awaiting.Remove(messageId);

    /// <summary>
    /// The sends to ask for again, in the order they were handed over; sends whose answer is meanwhile stored (or that are forgotten) are
    /// no longer awaited and counted in <paramref name="settled"/>.
    /// </summary>
    public IReadOnlyList<(OutboundRecord Record, string? CorrelationId)> ToAskAgain(ChatSessionState state, out int settled)
    {
        ArgumentNullException.ThrowIfNull(state);
        settled = 0;
        var again = new List<(OutboundRecord, string?)>(_awaiting.Count);
        foreach (var (id, correlationId) in _awaiting.ToList())
        {
            if (state.FindOutbound(id) is { AwaitsAnswer: true } record)
            {
                again.Add((record, correlationId));
                continue;
            }

            _awaiting.Remove(id);
            settled++;
        }

        return again;
    }
}
