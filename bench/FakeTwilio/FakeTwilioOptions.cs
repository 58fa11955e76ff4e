namespace MessagingServer.Bench.FakeTwilio;

/// <summary>The <c>FakeTwilio</c> section (environment: <c>FakeTwilio__AccountSid</c>, ...).</summary>
public sealed class FakeTwilioOptions
{
    public const string Section = "FakeTwilio";

    public string AccountSid { get; set; } = "";

    public string AuthToken { get; set; } = "";

    /// <summary>The statuses posted to each message's StatusCallback, in order.</summary>
    public string CallbackStatuses { get; set; } = "sent,delivered";

    /// <summary>Callbacks posted at once (each worker posts one message's statuses in order).</summary>
    public int CallbackWorkers { get; set; } = 32;

    /// <summary>Messages whose callbacks may wait; more are dropped and counted.</summary>
    public int CallbackQueue { get; set; } = 200_000;

    /// <summary>Added to every API answer, to play a remote API; 0 by default.</summary>
    public int LatencyMs { get; set; }
}
