using System.Collections.Concurrent;
using MessagingServer.Sms;

namespace MessagingServer.EndToEnd.Twilio;

/// <summary>
/// An <see cref="ISmsIngress"/> that records what the webhooks pass on, answering <see cref="IngressResult.Stored"/>
/// unless a test scripted another answer for its own sender number (inbound) or message id (status).
/// </summary>
public sealed class RecordingSmsIngress : ISmsIngress
{
    private readonly ConcurrentQueue<InboundSms> _inbound = new();
    private readonly ConcurrentQueue<StatusReport> _statuses = new();
    private readonly ConcurrentDictionary<string, IngressResult> _answers = new(StringComparer.Ordinal);

    public IReadOnlyList<InboundSms> InboundFrom(string from) => _inbound.Where(s => s.From == from).ToArray();

    public IReadOnlyList<StatusReport> StatusesOf(string messageId) => _statuses.Where(s => s.MessageId == messageId).ToArray();

    /// <summary>Answer <paramref name="result"/> for SMS from <paramref name="key"/> or statuses of message <paramref name="key"/>.</summary>
    public void Answer(string key, IngressResult result) => _answers[key] = result;

    public Task<IngressResult> ReceiveAsync(InboundSms sms, CancellationToken cancellationToken)
    {
        _inbound.Enqueue(sms);
        return Task.FromResult(_answers.GetValueOrDefault(sms.From, IngressResult.Stored));
    }

    public Task<IngressResult> ReportStatusAsync(StatusReport report, CancellationToken cancellationToken)
    {
        _statuses.Enqueue(report);
        return Task.FromResult(_answers.GetValueOrDefault(report.MessageId, IngressResult.Stored));
    }
}
