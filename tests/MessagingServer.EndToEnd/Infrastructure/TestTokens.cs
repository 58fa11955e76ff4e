using MessagingServer.Domain;
using MessagingServer.Security;
using Microsoft.Extensions.Options;

namespace MessagingServer.EndToEnd.Infrastructure;

/// <summary>Tokens signed with the key every test server uses, for servers running in another process.</summary>
public static class TestTokens
{
    public static string For(string userId) =>
        new TokenIssuer(Options.Create(new AuthOptions { SigningKey = RunningServer.TestSigningKey }), TimeProvider.System)
            .Issue(UserId.Parse(userId));
}
