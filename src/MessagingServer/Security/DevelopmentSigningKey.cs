namespace MessagingServer.Security;

/// <summary>
/// A published key so that a newcomer can run the server and mint tokens with no set-up. It is used
/// only in the Development environment and only when no <c>Auth:SigningKey</c> is configured; the
/// server refuses it in every other environment, since anyone can read it here.
/// </summary>
public static class DevelopmentSigningKey
{
    public const string Value = "messaging-server-development-signing-key-do-not-use-in-production";

    internal static void ApplyWhenMissing(AuthOptions options, IHostEnvironment environment)
    {
        if (environment.IsDevelopment() && string.IsNullOrWhiteSpace(options.SigningKey))
        {
            options.SigningKey = Value;
        }
    }
}
