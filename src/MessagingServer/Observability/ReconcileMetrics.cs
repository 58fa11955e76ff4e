using System.Diagnostics.Metrics;

namespace MessagingServer.Observability;

/// <summary>
/// Reconciliation's instruments on the server's meter: lookups that ended (<c>messaging.sms.reconciled</c> by
/// <c>result</c>: <c>found</c>, <c>not_sent</c>, or <c>reported</c> when a delivery report settled it first) and sends
/// whose outcome is still unknown, being looked up on this node (<c>messaging.sms.reconciling</c>).
/// </summary>
public sealed class ReconcileMetrics
{
    public const string Found = "found";
    public const string NotSent = "not_sent";
    public const string Reported = "reported";

    private readonly Counter<long> _ended;
    private readonly Counter<long> _lookups;
    private readonly UpDownCounter<long> _inProgress;

    public ReconcileMetrics(MessagingMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        _ended = metrics.Meter.CreateCounter<long>("messaging.sms.reconciled", "{message}", "Sends with a lost provider answer whose fate was settled, by result");
        _lookups = metrics.Meter.CreateCounter<long>("messaging.sms.reconcile.lookups", "{lookup}", "Lookups at the provider for sends with a lost answer");
        _inProgress = metrics.Meter.CreateUpDownCounter<long>("messaging.sms.reconciling", "{message}", "Sends whose outcome is still unknown, being looked up");
    }

    public void Started() => _inProgress.Add(1);

    public void Stopped() => _inProgress.Add(-1);

    public void Lookup() => _lookups.Add(1);

    public void Ended(string result) => _ended.Add(1, new KeyValuePair<string, object?>("result", result));
}
