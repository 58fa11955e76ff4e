using MessagingServer.Domain.Messages;

namespace MessagingServer.Domain.Sessions;

/// <summary>
/// Reconciliation: a send whose provider call ended without an answer (a timeout, a 5xx, a server stopped mid-call) is
/// never resent blindly and never guessed at. The session looks it up at the provider, with backoff, until the provider
/// has it (the send gets the provider's SID and real status as a <c>status</c> event) or until a lookup asked once the
/// window is over, counted from the send's own time, finds nothing: then it fails with <see cref="NotSentCode"/>, the one
/// failure after which sending again is safe. Meanwhile the send stays <c>queued</c> and nothing is shown.
/// </summary>
public sealed partial class ChatSessionState
{
    /// <summary>The error code of a send the provider never had: safe to send again.</summary>
    public const string NotSentCode = "not_sent";

    /// <summary>Sends being looked up at the provider, oldest first.</summary>
    public IEnumerable<OutboundRecord> Reconciling() => _outbound.InOrder.Where(r => r.Reconciling);

    /// <summary>When a lookup that finds nothing means "never sent": the window after the send was stored.</summary>
    public static DateTimeOffset ReconcileDeadline(OutboundRecord record, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.Accepted.At + window;
    }

    private void ApplyReconcileStarted(ReconcileStarted started)
    {
        if (_outbound.Find(started.Id) is { Status: MessageStatus.Queued, ProviderSid: null } record)
        {
            record.Dispatched = true;
            record.Reconciling = true;
        }
    }

    /// <summary>
    /// A provider call without an answer: look the message up, unless its fate is known already (a report came first,
    /// it is being looked up already, or it is final).
    /// </summary>
    public ProviderAnswerDecision DecideLostAnswer(OutboundRecord record, SendOutcome.Unknown unknown, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(unknown);
        return record is { Status: MessageStatus.Queued, ProviderSid: null, Reconciling: false, OutcomeUnknown: false }
            ? new ProviderAnswerDecision([new ReconcileStarted(record.Accepted.Id, unknown.Error, now)])
            : ProviderAnswerDecision.Nothing;
    }

    /// <summary>
    /// The provider's answer to a lookup asked at <paramref name="askedAt"/>: found gives the send its SID and status (a
    /// <c>status</c> event, even when that is still queued, so that the user sees it was reconciled); not found, asked at or
    /// after the deadline, fails it as <see cref="NotSentCode"/>; anything else (not found in time, or no answer to the
    /// lookup itself, however late) asks again. A send no longer being looked up (settled by a report, or a repeated
    /// answer) changes nothing.
    /// </summary>
    public ReconcileDecision DecideLookup(string messageId, LookupOutcome outcome, DateTimeOffset askedAt, DateTimeOffset now, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (_outbound.Find(messageId) is not { Reconciling: true } record)
        {
            return ReconcileDecision.Settled;
        }

        switch (outcome)
        {
            case LookupOutcome.Found found:
                var status = record.Status.CanMoveTo(found.Status) ? found.Status : record.Status;
                return new ReconcileDecision(ReconcileVerdict.Found,
                    [new OutboundStatusChanged(NextSeq, messageId, status, found.Error, now, found.ProviderSid)]);
            case LookupOutcome.NotFound when askedAt >= ReconcileDeadline(record, window):
                return new ReconcileDecision(ReconcileVerdict.NotSent,
                    [new OutboundStatusChanged(NextSeq, messageId, MessageStatus.Failed, new ProviderError(NotSentCode,
                        $"the provider never received this message (looked up for {window} after the send); it is safe to send it again"), now)]);
            default:
                return ReconcileDecision.Continue;
        }
    }
}

/// <summary>How a lookup ended for the session.</summary>
public enum ReconcileVerdict
{
    /// <summary>Not looked up any more (settled meanwhile, or a repeated answer): nothing to do.</summary>
    Settled,

    /// <summary>Not known yet: ask again after <see cref="ReconcileBackoff.Next"/>.</summary>
    Continue,

    /// <summary>The provider has it: store <see cref="ReconcileDecision.Events"/>.</summary>
    Found,

    /// <summary>The provider never had it: store <see cref="ReconcileDecision.Events"/> (failed, <c>not_sent</c>).</summary>
    NotSent,
}

/// <summary>A lookup's verdict and the events to store (none unless found or not sent).</summary>
public sealed record ReconcileDecision(ReconcileVerdict Verdict, IReadOnlyList<ISessionEvent> Events)
{
    public static readonly ReconcileDecision Settled = new(ReconcileVerdict.Settled, []);

    public static readonly ReconcileDecision Continue = new(ReconcileVerdict.Continue, []);
}

/// <summary>When to look up again: <c>first</c>, doubling, at most <c>max</c>, and never past the deadline while it is ahead.</summary>
public static class ReconcileBackoff
{
    /// <summary>The shortest wait, so that a lookup due at the deadline is not asked again and again just before it.</summary>
    public static readonly TimeSpan Floor = TimeSpan.FromMilliseconds(50);

    /// <param name="attempts">Lookups asked so far for this send (0 before the first).</param>
    public static TimeSpan Next(int attempts, TimeSpan first, TimeSpan max, DateTimeOffset deadline, DateTimeOffset now)
    {
        var delay = first;
        for (var i = 0; i < attempts && delay < max; i++)
        {
            delay += delay;
        }

        delay = delay > max ? max : delay;
        var untilDeadline = deadline - now;
        if (untilDeadline > TimeSpan.Zero && untilDeadline < delay)
        {
            delay = untilDeadline;
        }

        return delay < Floor ? Floor : delay;
    }
}
