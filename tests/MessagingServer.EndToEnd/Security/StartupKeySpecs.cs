using MessagingServer.EndToEnd.Infrastructure;
using MessagingServer.Security;

namespace MessagingServer.EndToEnd.Security;

public sealed class StartupKeySpecs
{
    [Theory]
    [InlineData("", "Auth:SigningKey is not set")]
    [InlineData("only-twenty-bytes-ok", "at least 32 bytes")]
    [InlineData(DevelopmentSigningKey.Value, "published Development key")]
    public async Task Production_refuses_to_start_without_a_proper_key_and_says_why(string key, string reason)
    {
        var result = await ServerProcess.RunToExitAsync(
            ["--urls", "http://127.0.0.1:0"],
            new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Production", ["Auth__SigningKey"] = key });

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("MessagingServer cannot start: Auth:SigningKey", result.Error, StringComparison.Ordinal);
        Assert.Contains(reason, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Now listening", result.Output + result.Error, StringComparison.Ordinal);
    }
}
