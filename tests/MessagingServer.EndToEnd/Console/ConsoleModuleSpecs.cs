using System.Text.Json;
using MessagingServer.Domain.Messages;
using Xunit.Abstractions;

namespace MessagingServer.EndToEnd.WebConsole;

/// <summary>
/// The console's modules without a browser (tests/browser/unit, Node's test runner): the protocol rules,
/// the store that merges history and live events, the reconnecting connection. The segment counter is
/// checked against the server's own <see cref="SmsSegments"/> on every character it could meet.
/// </summary>
public sealed class ConsoleModuleSpecs(ITestOutputHelper output)
{
    [Fact]
    public async Task The_console_modules_pass_their_unit_tests_and_count_segments_like_the_server()
    {
        var cases = Path.Combine(Path.GetTempPath(), $"segment-cases-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(cases, JsonSerializer.Serialize(SegmentCases().Select(body =>
        {
            var measured = SmsSegments.Measure(body);
            return new { body, encoding = measured.Encoding, segments = measured.Segments, units = measured.Units };
        })));
        try
        {
            var result = await BrowserScript.RunAsync(
                ["--test", "--test-reporter=tap", "unit/"],
                TimeSpan.FromSeconds(60),
                environment: new Dictionary<string, string> { ["SEGMENT_CASES"] = cases });
            output.WriteLine(result.Output);
            Assert.True(result.ExitCode == 0, $"node --test unit/ failed (exit {result.ExitCode}):\n{result.Output}");
            Assert.Contains("# skipped 0", result.Output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(cases);
        }
    }

    /// <summary>Every character up to U+04FF alone, the GSM Greek capitals and euro, then lengths around each boundary.</summary>
    private static IEnumerable<string> SegmentCases()
    {
        for (var c = 0; c <= 0x4FF; c++)
        {
            yield return ((char)c).ToString();
        }

        foreach (var c in "ΔΦΓΛΩΠΨΣΘΞ€\u20AC\u00A0\u2019\u201C")
        {
            yield return c.ToString();
        }

        foreach (var unit in new[] { "a", "€", "ü", "é", "ê", "😀", "Ж" })
        {
            foreach (var n in new[] { 1, 34, 35, 36, 67, 68, 69, 70, 71, 80, 81, 134, 135, 152, 153, 154, 159, 160, 161, 306, 307, 800 })
            {
                yield return string.Concat(Enumerable.Repeat(unit, n));
            }
        }

        yield return "Price: 10€ [promo] {code} ~50% off | see ^ above\\";
        yield return "Line one\r\nLine two\fthree";
        yield return "Tab\tis not GSM";
        yield return "Hello 👋 world";
    }
}
