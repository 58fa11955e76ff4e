using System.Collections.Concurrent;
using MessagingServer.Domain.Messages;

namespace MessagingServer.Sms;

/// <summary>
/// The loopback provider's memory of the sends whose answer it "lost" (<see cref="LoopbackOptions.LoseAnswers"/>), so
/// that a lookup finds them as Twilio's message list would. Per process and bounded: the oldest are forgotten past
/// <see cref="Capacity"/>.
/// </summary>
public sealed class LoopbackSentLog
{
    public const int Capacity = 10_000;

    private readonly ConcurrentQueue<Entry> _entries = new();

    public void Add(OutboundSms sms, string sid, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(sms);
        _entries.Enqueue(new Entry(sid, sms.From, sms.To, sms.Body, sms.Media?.Count ?? 0, at));
        while (_entries.Count > Capacity && _entries.TryDequeue(out _))
        {
        }
    }

    /// <summary>The oldest message with this sender, recipient, body and media count created at or after <paramref name="sentAfter"/>.</summary>
    public LookupOutcome Find(OutboundSms sms, DateTimeOffset sentAfter)
    {
        ArgumentNullException.ThrowIfNull(sms);
        var match = _entries.FirstOrDefault(e => e.At >= sentAfter && e.From == sms.From && e.To == sms.To && e.Body == sms.Body && e.MediaCount == (sms.Media?.Count ?? 0));
        return match is null ? LookupOutcome.NotFound.Instance : new LookupOutcome.Found(match.Sid, MessageStatus.Delivered);
    }

    private sealed record Entry(string Sid, string From, string To, string Body, int MediaCount, DateTimeOffset At);
}
