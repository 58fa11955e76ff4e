namespace MessagingServer.Sms;

/// <summary>
/// How sends whose provider answer was lost are looked up (reconciliation), bound from the <c>Twilio</c> section
/// (<c>Twilio:ReconcileWindow</c>, ...) and used with the loopback provider too.
/// </summary>
public sealed class ReconcileOptions
{
    public const string Section = "Twilio";

    /// <summary>
    /// How long after a send was stored a lookup that finds nothing still means "not yet": a lookup asked later that
    /// finds nothing fails the send with <c>not_sent</c>. Counted from the send, so a restart does not extend it.
    /// </summary>
    public TimeSpan ReconcileWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The wait before the first lookup; each next one waits twice as long, up to <see cref="ReconcileMaxDelay"/>.</summary>
    public TimeSpan ReconcileFirstDelay { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan ReconcileMaxDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Why these settings cannot work, or null.</summary>
    public string? Problem() =>
        ReconcileWindow <= TimeSpan.Zero ? "Twilio:ReconcileWindow must be positive"
        : ReconcileFirstDelay <= TimeSpan.Zero ? "Twilio:ReconcileFirstDelay must be positive"
        : ReconcileMaxDelay < ReconcileFirstDelay ? "Twilio:ReconcileMaxDelay must be at least Twilio:ReconcileFirstDelay"
        : null;
}
