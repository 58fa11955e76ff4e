namespace MessagingServer.Domain.Messages;

/// <summary>
/// What the provider said when asked whether it has a send whose answer was lost (a timeout, a 5xx): the message
/// list looked up by recipient, sender, date and body.
/// </summary>
public abstract record LookupOutcome
{
    /// <summary>The provider has it: its id and where it stands (with the provider's error, if it failed there).</summary>
    public sealed record Found(string ProviderSid, MessageStatus Status, ProviderError? Error = null) : LookupOutcome;

    /// <summary>The provider answered and has no such message (yet).</summary>
    public sealed record NotFound : LookupOutcome
    {
        public static readonly NotFound Instance = new();

        private NotFound()
        {
        }
    }

    /// <summary>The lookup itself got no answer (timeout, 5xx, unreachable): nothing is known, ask again later.</summary>
    public sealed record Failed(ProviderError Error) : LookupOutcome;
}
