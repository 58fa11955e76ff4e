using System.Diagnostics.Metrics;

namespace MessagingServer.Observability;

/// <summary>
/// The server's own instruments (meter <c>MessagingServer</c>), exported on <c>/metrics</c> beside the
/// .NET runtime and ASP.NET Core meters.
/// </summary>
public sealed class MessagingMetrics
{
    public const string MeterName = "MessagingServer";

    private readonly Counter<long> _events;
    private readonly Counter<long> _smsSent;
    private readonly Counter<long> _smsFailed;
    private readonly UpDownCounter<long> _sessions;
    private readonly UpDownCounter<long> _broadcasts;
    private readonly UpDownCounter<long> _pendingSms;
    private readonly Histogram<double> _journalWrite;
    private readonly Histogram<double> _webhook;

    public MessagingMetrics(IMeterFactory meters)
    {
        Meter = meters.Create(MeterName);
        _events = Meter.CreateCounter<long>("messaging.events", "{event}", "Events by direction (in: frames from apps, out: stored events) and type");
        _smsSent = Meter.CreateCounter<long>("messaging.sms.sent", "{message}", "SMS accepted by the provider");
        _smsFailed = Meter.CreateCounter<long>("messaging.sms.failed", "{message}", "SMS that failed, by error code");
        _sessions = Meter.CreateUpDownCounter<long>("messaging.sessions.alive", "{session}", "Session actors in memory");
        _broadcasts = Meter.CreateUpDownCounter<long>("messaging.broadcasts.alive", "{broadcast}", "Broadcast actors in memory on this node");
        _pendingSms = Meter.CreateUpDownCounter<long>("messaging.sms.queue_depth", "{message}", "SMS waiting for or inside a provider call");
        _journalWrite = Meter.CreateHistogram<double>("messaging.journal.write.duration", "ms", "From persist call to stored, per event");
        _webhook = Meter.CreateHistogram<double>("messaging.webhook.duration", "ms", "Provider webhook handling, signature check to answer");
    }

    public Meter Meter { get; }

    public void EventIn(string type) => _events.Add(1, new KeyValuePair<string, object?>("direction", "in"), new KeyValuePair<string, object?>("type", type));

    public void EventOut(string type) => _events.Add(1, new KeyValuePair<string, object?>("direction", "out"), new KeyValuePair<string, object?>("type", type));

    public void SmsSent() => _smsSent.Add(1);

    public void SmsFailed(string code) => _smsFailed.Add(1, new KeyValuePair<string, object?>("code", code));

    public void SessionStarted() => _sessions.Add(1);

    public void SessionStopped() => _sessions.Add(-1);

    public void BroadcastStarted() => _broadcasts.Add(1);

    public void BroadcastStopped() => _broadcasts.Add(-1);

    public void SmsQueued() => _pendingSms.Add(1);

    public void SmsDequeued() => _pendingSms.Add(-1);

    public void JournalWrite(TimeSpan elapsed) => _journalWrite.Record(elapsed.TotalMilliseconds);

    public void Webhook(string endpoint, TimeSpan elapsed, int status) =>
        _webhook.Record(elapsed.TotalMilliseconds, new KeyValuePair<string, object?>("endpoint", endpoint), new KeyValuePair<string, object?>("status", status));
}
