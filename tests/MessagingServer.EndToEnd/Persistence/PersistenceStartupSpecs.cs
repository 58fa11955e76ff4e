using MessagingServer.EndToEnd.Infrastructure;
using Microsoft.Extensions.Options;

namespace MessagingServer.EndToEnd.Persistence;

public sealed class PersistenceStartupSpecs
{
    [Fact]
    public async Task The_server_refuses_to_start_on_postgresql_without_a_connection_string()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => RunningServer.StartAsync(new Dictionary<string, string?>
        {
            ["Persistence:Provider"] = "PostgreSql",
        }));

        Assert.Contains("ConnectionStrings:Messaging", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_server_refuses_to_start_with_an_unknown_provider()
    {
        var error = await Assert.ThrowsAnyAsync<InvalidOperationException>(() => RunningServer.StartAsync(new Dictionary<string, string?>
        {
            ["Persistence:Provider"] = "Oracle",
        }));

        Assert.Contains("Persistence:Provider", error.Message, StringComparison.Ordinal);
    }
}
