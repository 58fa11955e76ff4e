using System.Collections.Concurrent;
using MessagingServer.Domain.Messages;
using MessagingServer.Sms;

namespace MessagingServer.Tests.Sessions;

/// <summary>
/// An SMS provider for actor tests: records every send and answers as scripted by the body
/// (<c>crash</c> throws inside the session, <c>reject</c> is refused, <c>silence</c> never answers, <c>held</c>
/// answers when the test completes <see cref="Held"/>, else accepted). Lookups of lost answers answer with
/// <see cref="Lookups"/>' next scripted outcome (not found once the script is empty), and are counted.
/// </summary>
public sealed class ScriptedProvider : IClientMessagingService
{
    public ConcurrentQueue<OutboundSms> Sent { get; } = new();

    /// <summary>The answer to every <c>held</c> send, given when the test sets it.</summary>
    public TaskCompletionSource<SendOutcome> Held { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConcurrentQueue<LookupOutcome> Lookups { get; } = new();

    public ConcurrentQueue<OutboundSms> LookedUp { get; } = new();

    public Task<LookupOutcome> FindAsync(OutboundSms sms, DateTimeOffset sentAfter, CancellationToken cancellationToken)
    {
        LookedUp.Enqueue(sms);
        return Task.FromResult(Lookups.TryDequeue(out var next) ? next : LookupOutcome.NotFound.Instance);
    }

    public Task<SendOutcome> SendAsync(OutboundSms sms, CancellationToken cancellationToken)
    {
        Sent.Enqueue(sms);
        return sms.Body switch
        {
            "crash" => throw new InvalidOperationException("provider exploded"),
            "reject" => Task.FromResult<SendOutcome>(new SendOutcome.Rejected(new ProviderError("21211", "invalid 'To' number"))),
            "opted-out" => Task.FromResult<SendOutcome>(new SendOutcome.Rejected(new ProviderError("21610", "recipient unsubscribed"), RecipientOptedOut: true)),
            "silence" => new TaskCompletionSource<SendOutcome>().Task,
            "held" => Held.Task,
            _ => Task.FromResult<SendOutcome>(new SendOutcome.Accepted("SM" + sms.MessageId, MessageStatus.Sent)),
        };
    }
}
