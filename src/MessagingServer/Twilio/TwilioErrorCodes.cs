namespace MessagingServer.Twilio;

/// <summary>Twilio error codes the send path treats specially. Every other 4xx is a permanent rejection too.</summary>
public static class TwilioErrorCodes
{
    /// <summary>Authentication failed (wrong account, token or API key).</summary>
    public const int AuthenticationFailed = 20003;

    /// <summary>Too many requests: the only error that is retried.</summary>
    public const int TooManyRequests = 20429;

    /// <summary>The 'To' number is not a valid phone number.</summary>
    public const int InvalidToNumber = 21211;

    /// <summary>The recipient has replied STOP to this sender.</summary>
    public const int RecipientOptedOut = 21610;

    /// <summary>The 'To' number is not a mobile number.</summary>
    public const int NotMobileNumber = 21614;

    /// <summary>The body exceeds the maximum length.</summary>
    public const int BodyTooLong = 21617;
}
