using MessagingServer.EndToEnd.Infrastructure;

namespace MessagingServer.EndToEnd.Observability;

/// <summary>What a client puts in a request cannot forge, recolour or reorder lines in either log sink.</summary>
public sealed class LogForgingSpecs
{
    /// <summary>CR LF and a fake entry, a terminal escape (clear screen) and a right-to-left override.</summary>
    private const string ForgingPath = "/probe%0D%0A[20:00:00%20ERR]%20forged%1B[2J%E2%80%AEdesrever";

    [Theory]
    [InlineData("Development")] // the text log for people
    [InlineData("Production")] // the JSON log for machines
    public async Task A_path_with_line_breaks_and_escape_sequences_stays_on_one_line_with_its_controls_shown_as_text(string environment)
    {
        await using var server = await ServerProcess.StartAsync(
            new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = environment }, TimeSpan.FromSeconds(60));
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        var response = await http.GetAsync(new Uri(server.BaseAddress, ForgingPath));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);

        await Eventually.TrueAsync(() => server.Output.Any(l => l.Contains("forged", StringComparison.Ordinal)), TimeSpan.FromSeconds(30));
        var lines = server.Output;
        var logged = Assert.Single(lines, l => l.Contains("forged", StringComparison.Ordinal));
        Assert.Contains("probe", logged, StringComparison.Ordinal);
        Assert.Contains(@"\r", logged, StringComparison.Ordinal);
        Assert.Contains(@"\n", logged, StringComparison.Ordinal);
        Assert.Contains("u001B[2J", logged, StringComparison.Ordinal);
        Assert.Contains("u202E", logged, StringComparison.Ordinal);
        Assert.DoesNotContain(lines, l => l.StartsWith("[20:00:00 ERR]", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains('\u001b', StringComparison.Ordinal) || l.Contains('\u202E', StringComparison.Ordinal));
    }
}
