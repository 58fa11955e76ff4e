namespace MessagingServer.Domain.Messages;

/// <summary>What the provider said about one send.</summary>
public abstract record SendOutcome
{
    /// <summary>The provider took it; <see cref="Status"/> is where it stands now (usually queued or sent).</summary>
    public sealed record Accepted(string ProviderSid, MessageStatus Status) : SendOutcome;

    /// <summary>The provider refused it for good (bad number, opted out, bad credentials...): never retried.</summary>
    public sealed record Rejected(ProviderError Error, bool RecipientOptedOut = false) : SendOutcome;

    /// <summary>No answer (timeout, 5xx): the SMS may or may not have gone out; it is not sent again blindly.</summary>
    public sealed record Unknown(ProviderError Error) : SendOutcome;
}
