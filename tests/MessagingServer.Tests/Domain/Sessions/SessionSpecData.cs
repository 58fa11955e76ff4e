using MessagingServer.Domain.Messages;
using MessagingServer.Domain.Sessions;

namespace MessagingServer.Tests.Domain.Sessions;

/// <summary>A session state fed only through its own decisions, as the actor feeds it (decide, then apply).</summary>
internal static class SessionSpecData
{
    public const string Sender = "+15550000000";
    public const string Client = "+15550001111";
    public static readonly DateTimeOffset At = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Decides a consented send and applies it, as the actor does once consent said yes.</summary>
    public static OutboundAccepted StoreSend(this ChatSessionState state, string id, string? clientRef = null, string to = Client)
    {
        var decision = Assert.IsType<SendDecision.Store>(state.DecideConsented(Sender, to, "hi", clientRef, optedOut: false, id, At));
        state.Apply(decision.Accepted);
        return decision.Accepted;
    }

    public static InboundReceived Receive(this ChatSessionState state, string id, string? sid, string body = "yo", string from = Client)
    {
        var decision = state.DecideInbound(from, Sender, body, [], sid, id, At);
        Assert.False(decision.Duplicate);
        foreach (var e in decision.Events)
        {
            state.Apply(e);
        }

        return Assert.IsType<InboundReceived>(decision.Events[^1]);
    }

    public static void ApplyAll(this ChatSessionState state, IEnumerable<ISessionEvent> events)
    {
        foreach (var e in events)
        {
            state.Apply(e);
        }
    }
}
