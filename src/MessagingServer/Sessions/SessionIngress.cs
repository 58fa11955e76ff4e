using Akka.Hosting;
using MessagingServer.Routing;
using MessagingServer.Sms;

namespace MessagingServer.Sessions;

/// <summary>Routes inbound SMS and delivery reports to their session and waits until it has stored them.</summary>
public sealed class SessionIngress(IRequiredActor<ChatSessionRegistry> registry, InboundRouter router, ChatSessionOptions options) : ISmsIngress
{
    public Task<IngressResult> ReceiveAsync(InboundSms sms, CancellationToken cancellationToken) =>
        AskAsync(new ChatSessionCommands.DeliverInbound(router.UserFor(sms.From, sms.To), sms), cancellationToken);

    public Task<IngressResult> ReportStatusAsync(StatusReport report, CancellationToken cancellationToken) =>
        AskAsync(new ChatSessionCommands.DeliverStatus(report.UserId, report), cancellationToken);

    private async Task<IngressResult> AskAsync(IWithUserId command, CancellationToken cancellationToken)
    {
        var sessions = await registry.GetAsync(cancellationToken);
        // The reply is a bare enum: from a session on another node, Newtonsoft (the default remote serializer)
        // delivers it as an Int64. Until it has a serializer of its own, take either.
        var reply = await sessions.AskOrAsync<object>(command, options.SessionAskTimeout, IngressResult.Unavailable, cancellationToken);
        return reply switch
        {
            IngressResult result => result,
            long number when Enum.IsDefined((IngressResult)number) => (IngressResult)number,
            _ => throw new InvalidOperationException($"unexpected reply to {command.GetType().Name}: {reply}"),
        };
    }
}
