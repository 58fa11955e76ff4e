using Akka.Hosting;
using MessagingServer.Routing;
using MessagingServer.Sms;

namespace MessagingServer.Sessions;

/// <summary>Routes inbound SMS and delivery reports to their session and waits until it has stored them.</summary>
public sealed class SessionIngress(IRequiredActor<ChatSessionRegistry> registry, InboundRouter router, ChatSessionOptions options) : ISmsIngress
{
    public async Task<IngressResult> ReceiveAsync(InboundSms sms, CancellationToken cancellationToken)
    {
        // Its STOP / START is stored before the message is: both before the webhook is answered 200.
        var user = await router.UserForAsync(sms, cancellationToken);
        return user is null ? IngressResult.Unavailable : await AskAsync(new ChatSessionCommands.DeliverInbound(user, sms), cancellationToken);
    }

    public Task<IngressResult> ReportStatusAsync(StatusReport report, CancellationToken cancellationToken) =>
        AskAsync(new ChatSessionCommands.DeliverStatus(report.UserId, report), cancellationToken);

    private async Task<IngressResult> AskAsync(IWithUserId command, CancellationToken cancellationToken)
    {
        var sessions = await registry.GetAsync(cancellationToken);
        return await sessions.AskOrAsync(command, options.SessionAskTimeout, IngressResult.Unavailable, cancellationToken);
    }
}
