using System.Globalization;

namespace MessagingServer.TestSupport.Fuzzing;

/// <summary>
/// How many cases a fuzz property runs: a bounded number in CI (the whole fuzz set well under 30 s), more with
/// <c>FUZZ_ITERATIONS</c> for a local or bench run (e.g. <c>FUZZ_ITERATIONS=200000</c>). CsCheck prints the
/// seed of a failing case; <c>FUZZ_SEED</c> replays it.
/// </summary>
public static class Fuzz
{
    public const string IterationsVariable = "FUZZ_ITERATIONS";
    public const string SeedVariable = "FUZZ_SEED";

    /// <summary>Cases of a pure property (a parser call each): <paramref name="ci"/> unless <c>FUZZ_ITERATIONS</c> says otherwise.</summary>
    public static long Iterations(long ci) => FromEnvironment() ?? ci;

    /// <summary>Cases against a real server (an HTTP round trip each): a tenth of <c>FUZZ_ITERATIONS</c>, at least <paramref name="ci"/>.</summary>
    public static long RemoteIterations(long ci) => FromEnvironment() is { } n ? Math.Max(ci, n / 10) : ci;

    public static string? Seed => Environment.GetEnvironmentVariable(SeedVariable) is { Length: > 0 } seed ? seed : null;

    private static long? FromEnvironment() =>
        long.TryParse(Environment.GetEnvironmentVariable(IterationsVariable), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : null;
}
