namespace MessagingServer.TestSupport.Twilio;

/// <summary>
/// How a <see cref="FakeTwilio"/> behaves; bound from the <c>FakeTwilio</c> section by the bench's host
/// (<c>FakeTwilio__AccountSid</c>, ...). Every secret is random unless set.
/// </summary>
public sealed class FakeTwilioOptions
{
    public const string Section = "FakeTwilio";

    public string AccountSid { get; set; } = TwilioSigner.NewSid("AC");

    public string AuthToken { get; set; } = System.Security.Cryptography.RandomNumberGenerator.GetHexString(32, lowercase: true);

    public string ApiKeySid { get; set; } = TwilioSigner.NewSid("SK");

    public string ApiKeySecret { get; set; } = System.Security.Cryptography.RandomNumberGenerator.GetHexString(32, lowercase: true);

    public string MessagingServiceSid { get; set; } = TwilioSigner.NewSid("MG");

    /// <summary>Statuses posted, signed, to each accepted message's StatusCallback, in order (e.g. <c>sent,delivered</c>); none by default.</summary>
    public string CallbackStatuses { get; set; } = "";

    /// <summary>Callbacks posted at once (each worker posts one message's statuses in order).</summary>
    public int CallbackWorkers { get; set; } = 32;

    /// <summary>Messages whose callbacks may wait; more are dropped and counted.</summary>
    public int CallbackQueue { get; set; } = 200_000;

    /// <summary>Added to every API answer, to play a remote API; 0 by default.</summary>
    public int LatencyMs { get; set; }

    /// <summary>Keep every request for the test to read (<see cref="FakeTwilio.Requests"/>); the bench turns it off.</summary>
    public bool RecordRequests { get; set; } = true;
}
