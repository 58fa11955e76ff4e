using MessagingServer.Domain.Messages;

namespace MessagingServer.Domain.Sessions;

/// <summary>What the session does with a send, step by step: admitted or refused, a known clientRef, consent.</summary>
public abstract record SendDecision
{
    /// <summary>Not sent and nothing stored; <see cref="Code"/> is one of <see cref="Protocol.ErrorCodes"/>.</summary>
    public sealed record Refused(string Code, string Message) : SendDecision;

    /// <summary>The clientRef was used before: answer with that first send again, send nothing.</summary>
    public sealed record Duplicate(OutboundAccepted First) : SendDecision;

    /// <summary>
    /// The clientRef was used before by the send with this seq, no longer in memory: read it from the journal, then
    /// decide with <see cref="Sessions.ChatSessionState.DecideReadBack"/>.
    /// </summary>
    public sealed record ReadFirst(long Seq) : SendDecision;

    /// <summary>New: ask the recipient's client number for consent first.</summary>
    public sealed record CheckConsent : SendDecision
    {
        public static readonly CheckConsent Instance = new();

        private CheckConsent()
        {
        }
    }

    /// <summary>Consented: store this, then hand it to its sender.</summary>
    public sealed record Store(OutboundAccepted Accepted) : SendDecision;
}

/// <summary>
/// An ack's answer: <see cref="Cursor"/> is where the cursor stands (or would), <see cref="Error"/> says why it was
/// refused, and <see cref="Advance"/>, when set, is the event to store before answering.
/// </summary>
public sealed record AckDecision(bool Accepted, long Cursor, string? Error = null, CursorAcked? Advance = null);

/// <summary>
/// An inbound SMS: a <see cref="Duplicate"/> provider SID is answered "stored" and stores nothing; otherwise
/// <see cref="Events"/> are stored in order (the session's STOP / START record, then the message).
/// </summary>
public sealed record InboundDecision(bool Duplicate, IReadOnlyList<ISessionEvent> Events);

/// <summary>A delivery report.</summary>
public abstract record StatusDecision
{
    /// <summary>No such message here: ignored.</summary>
    public sealed record UnknownMessage : StatusDecision
    {
        public static readonly UnknownMessage Instance = new();

        private UnknownMessage()
        {
        }
    }

    /// <summary>Not a step forward (a repeat, or late): answered "stored", nothing stored.</summary>
    public sealed record NoChange : StatusDecision
    {
        public static readonly NoChange Instance = new();

        private NoChange()
        {
        }
    }

    public sealed record Change(OutboundStatusChanged Changed) : StatusDecision;
}

/// <summary>
/// The provider's answer to a send: the <see cref="Events"/> to store, in order (none when it tells nothing new), and
/// <see cref="RecipientOptedOut"/> when the provider said the recipient opted out, for every user's consent record.
/// </summary>
public sealed record ProviderAnswerDecision(IReadOnlyList<ISessionEvent> Events, ClientOptedOut? RecipientOptedOut = null)
{
    public static readonly ProviderAnswerDecision Nothing = new([]);
}

/// <summary>
/// Where a reader resumes: the events after <see cref="After"/> are what it gets. When <see cref="JournalBefore"/> is
/// set, the ones up to (not including) it are older than memory holds and are read from the journal first.
/// </summary>
public sealed record ReplayStart(long After, long? JournalBefore = null);
