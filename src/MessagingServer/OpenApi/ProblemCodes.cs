namespace MessagingServer.OpenApi;

/// <summary>
/// Endpoint metadata: the stable <c>code</c>s a problem response of <see cref="Status"/> may carry. The document
/// lists them in the response's description and in <c>x-problem-codes</c>.
/// </summary>
public sealed record ProblemCodes(int Status, IReadOnlyList<string> Codes);

/// <summary>Endpoint metadata: a webhook that Twilio calls, signed with <c>X-Twilio-Signature</c>, not a call for apps.</summary>
public sealed record TwilioWebhook(string TwilioSetting);

public static class ProblemCodesExtensions
{
    /// <summary>Declares a problem+json response of <paramref name="status"/> with its codes.</summary>
    public static RouteHandlerBuilder ProducesProblemCodes(this RouteHandlerBuilder builder, int status, params string[] codes) =>
        builder.ProducesProblem(status).WithMetadata(new ProblemCodes(status, codes));
}
