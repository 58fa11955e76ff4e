namespace MessagingServer.Domain.Messages;

/// <summary>Why a message failed: the provider's code (e.g. Twilio's <c>21211</c>) or one of ours, and a human message.</summary>
public sealed record ProviderError(string Code, string Message);
