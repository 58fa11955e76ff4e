using MessagingServer.Domain.Messages;

namespace MessagingServer.Domain.Sessions;

/// <summary>One outbound message and how far it got.</summary>
public sealed class OutboundRecord(OutboundAccepted accepted)
{
    public OutboundAccepted Accepted { get; } = accepted;

    public MessageStatus Status { get; set; } = accepted.Status;

    /// <summary>The provider call was started (a <see cref="DispatchStarted"/> is stored).</summary>
    public bool Dispatched { get; set; }

    /// <summary>The provider call ended without an answer; a later provider report may still move it forward.</summary>
    public bool OutcomeUnknown { get; set; }

    public string? ProviderSid { get; set; }

    /// <summary>The provider call ended without an answer and the message is being looked up at the provider (<see cref="ReconcileStarted"/>).</summary>
    public bool Reconciling { get; set; }

    /// <summary>Stored, and no answer from the provider is stored: not accepted, refused, being looked up, or given up as unknown.</summary>
    public bool AwaitsAnswer => Status == MessageStatus.Queued && !OutcomeUnknown && !Reconciling && ProviderSid is null;
}
