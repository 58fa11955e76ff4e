using MessagingServer.Domain.Messages;
using MessagingServer.Domain.Protocol;

namespace MessagingServer.Domain.Sessions;

/// <summary>
/// The session's rules: each command, with <c>now</c> and the id of anything new passed in, gives a decision (a
/// reply and the events to store). Nothing here changes the stored state: the caller stores the events and
/// <see cref="Apply"/>s them. Only <see cref="AdmitSend"/> spends from the (unstored) send budget.
/// </summary>
public sealed partial class ChatSessionState
{
    public const string RateLimitedMessage = "too many sends; slow down and retry shortly (nothing was stored)";

    /// <summary>A valid send reaching the session spends one from the user's budget; null when admitted.</summary>
    public SendDecision.Refused? AdmitSend(DateTimeOffset now) =>
        _sendBudget.TryTake(now) ? null : new SendDecision.Refused(ErrorCodes.RateLimited, RateLimitedMessage);

    /// <summary>How long until the user may send again (zero when now).</summary>
    public TimeSpan SendRetryAfter(DateTimeOffset now) => _sendBudget.RetryAfter(now);

    /// <summary>
    /// A send whose turn has come: a known clientRef is answered with its first send (read back from the journal first
    /// when it is no longer in memory); anything else needs consent.
    /// </summary>
    public SendDecision DecideSend(string? clientRef)
    {
        if (clientRef is null)
        {
            return SendDecision.CheckConsent.Instance;
        }

        return _outbound.Lookup(clientRef) switch
        {
            ({ } first, _) => new SendDecision.Duplicate(first),
            (null, { } seq) => new SendDecision.ReadFirst(seq),
            _ => SendDecision.CheckConsent.Instance,
        };
    }

    /// <summary>
    /// A send whose clientRef's first send was read back from the journal (<see cref="SendDecision.ReadFirst"/>): that
    /// send answers it when it is the one (same clientRef); otherwise, or when nothing was found, it is a new send.
    /// </summary>
    public static SendDecision DecideReadBack(string clientRef, OutboundAccepted? found) =>
        found is not null && string.Equals(found.ClientRef, clientRef, StringComparison.Ordinal)
            ? new SendDecision.Duplicate(found)
            : SendDecision.CheckConsent.Instance;

    /// <summary>
    /// The recipient's consent for a send from <paramref name="from"/>: <paramref name="optedOut"/> is null when it
    /// could not be checked (then nothing is sent). Stored as the next seq, queued, with id <paramref name="id"/> and the
    /// <paramref name="media"/> URLs of an MMS (null or empty: a plain SMS, stored without media).
    /// </summary>
    public SendDecision DecideConsented(
        string from, string to, string body, string? clientRef, bool? optedOut, string id, DateTimeOffset now, IReadOnlyList<string>? media = null)
    {
        switch (optedOut)
        {
            case null:
                return new SendDecision.Refused(ErrorCodes.Unavailable, "consent could not be checked; the message was not sent");
            case true:
                return new SendDecision.Refused(ErrorCodes.OptedOut, $"{to} has opted out of messages from {from}");
            default:
                var segments = SmsSegments.Measure(body);
                return new SendDecision.Store(new OutboundAccepted(NextSeq, id, clientRef, from, to, body, now,
                    MessageStatus.Queued, segments.Encoding, segments.Segments, media is { Count: > 0 } ? [.. media] : null));
        }
    }

    /// <summary>
    /// Where a device (or a history page) resumes: after <paramref name="since"/>, or after the acked cursor when none is
    /// given, never beyond <paramref name="storedSeq"/> (the newest event whose write has finished).
    /// </summary>
    public ReplayStart DecideReplay(long? since, long storedSeq)
    {
        var after = Math.Clamp(since ?? AckedSeq, 0, storedSeq);
        var oldestInMemory = Math.Min(OldestCachedSeq, storedSeq + 1);
        return after + 1 < oldestInMemory ? new ReplayStart(after, JournalBefore: oldestInMemory) : new ReplayStart(after);
    }

    /// <summary>The stored events after <paramref name="after"/> that memory holds, oldest first; nothing whose write has not finished.</summary>
    public IEnumerable<ISequencedEvent> StoredEventsAfter(long after, long storedSeq, int limit = int.MaxValue) =>
        EventsAfter(after, limit).TakeWhile(e => e.Seq <= storedSeq);

    /// <summary>
    /// Moves the cursor forward, up to <paramref name="storedSeq"/> (the newest event whose write has finished): beyond
    /// it is refused, at or behind the cursor is accepted and changes nothing.
    /// </summary>
    public AckDecision DecideAck(long seq, long storedSeq)
    {
        if (seq > storedSeq)
        {
            return new AckDecision(false, AckedSeq, $"seq {seq} is beyond the last event ({storedSeq})");
        }

        return seq <= AckedSeq ? new AckDecision(true, AckedSeq) : new AckDecision(true, seq, Advance: new CursorAcked(seq));
    }

    /// <summary>
    /// An inbound SMS, once per provider SID. STOP / START (already stored in the client number's consent) are also
    /// kept as the session's own record, stored before the message.
    /// </summary>
    public InboundDecision DecideInbound(string from, string to, string body, IReadOnlyList<string> media, string? providerSid, string id, DateTimeOffset now)
    {
        if (providerSid is not null && HasSeenInbound(providerSid))
        {
            return new InboundDecision(true, []);
        }

        ISessionEvent? consent = OptOutKeywords.Classify(body) switch
        {
            OptOutIntent.OptOut => new ClientOptedOut(to, from, now),
            OptOutIntent.OptIn => new ClientOptedIn(to, from, now),
            _ => null,
        };
        var received = new InboundReceived(NextSeq, id, from, to, body, media, now, providerSid);
        return new InboundDecision(false, consent is null ? [received] : [consent, received]);
    }

    /// <summary>
    /// A delivery report moves a message forward only; a message given up on as "outcome unknown" may still turn out
    /// to have gone (any report but failed or queued).
    /// </summary>
    public StatusDecision DecideStatus(string messageId, MessageStatus status, ProviderError? error, string? providerSid, DateTimeOffset now)
    {
        if (_outbound.Find(messageId) is not { } record)
        {
            return StatusDecision.UnknownMessage.Instance;
        }

        var canMove = record.Status.CanMoveTo(status)
            || (record.OutcomeUnknown && status is not MessageStatus.Failed and not MessageStatus.Queued);
        return canMove
            ? new StatusDecision.Change(new OutboundStatusChanged(NextSeq, messageId, status, error, now, providerSid))
            : StatusDecision.NoChange.Instance;
    }

    /// <summary>The sender's turn for a send: go (store "call started" first) only for a known send never started and with no answer.</summary>
    public DispatchStarted? DecideStartCall(string messageId, DateTimeOffset now) =>
        _outbound.Find(messageId) is { Dispatched: false, AwaitsAnswer: true } ? new DispatchStarted(messageId, now) : null;

    /// <summary>
    /// The provider's answer to a send: a new status is stored as an event the user sees; an acceptance that is not a
    /// step forward is stored as <see cref="DispatchAccepted"/> (after a restart the send is known to have gone); a
    /// refusal fails the send (and records an opt-out the provider reported); no answer starts looking the message up at the
    /// provider (<see cref="DecideLostAnswer"/>, then <see cref="DecideLookup"/>): it is never sent again blindly.
    /// </summary>
    public ProviderAnswerDecision DecideProviderAnswer(string messageId, SendOutcome outcome, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (_outbound.Find(messageId) is not { } record)
        {
            return ProviderAnswerDecision.Nothing;
        }

        switch (outcome)
        {
            case SendOutcome.Accepted { Status: not MessageStatus.Queued } accepted when record.Status.CanMoveTo(accepted.Status):
                return new ProviderAnswerDecision([new OutboundStatusChanged(NextSeq, messageId, accepted.Status, null, now, accepted.ProviderSid)]);
            case SendOutcome.Accepted accepted:
                return new ProviderAnswerDecision([new DispatchAccepted(messageId, accepted.ProviderSid, accepted.Status, now)]);
            case SendOutcome.Rejected rejected:
                var optOut = rejected.RecipientOptedOut ? new ClientOptedOut(record.Accepted.From, record.Accepted.To, now) : null;
                var events = new List<ISessionEvent>(2);
                if (optOut is not null)
                {
                    events.Add(optOut);
                }

                if (record.Status.CanMoveTo(MessageStatus.Failed))
                {
                    events.Add(new OutboundStatusChanged(NextSeq, messageId, MessageStatus.Failed, rejected.Error, now));
                }

                return new ProviderAnswerDecision(events, optOut);
            case SendOutcome.Unknown unknown:
                return DecideLostAnswer(record, unknown, now);
            default:
                return ProviderAnswerDecision.Nothing;
        }
    }
}
