namespace MessagingServer.Bench.Runs;

public enum Side
{
    /// <summary>The server under test.</summary>
    A,

    /// <summary>The baseline.</summary>
    B,
}

/// <summary>
/// The order of A and B runs: A B, B A, A B, ... so that neither side always runs first (warmer caches,
/// a quieter or busier moment) and a slow drift of the machine hits both sides alike.
/// </summary>
public static class AbSchedule
{
    public static IReadOnlyList<Side> Order(int round) => round % 2 == 0 ? [Side.A, Side.B] : [Side.B, Side.A];

    public static IEnumerable<(int Round, Side Side)> Runs(int rounds)
    {
        for (var round = 0; round < rounds; round++)
        {
            foreach (var side in Order(round))
            {
                yield return (round, side);
            }
        }
    }

    /// <summary>Runs every round in <see cref="Order"/>; the results come back by round, A and B paired.</summary>
    public static async Task<IReadOnlyList<(T A, T B)>> AlternateAsync<T>(
        int rounds, Func<int, Task<T>> runA, Func<int, Task<T>> runB, Action<int, Side, T>? onRun = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(runA);
        ArgumentNullException.ThrowIfNull(runB);
        var a = new T[rounds];
        var b = new T[rounds];
        foreach (var (round, side) in Runs(rounds))
        {
            cancel.ThrowIfCancellationRequested();
            var result = side == Side.A ? await runA(round) : await runB(round);
            if (side == Side.A)
            {
                a[round] = result;
            }
            else
            {
                b[round] = result;
            }

            onRun?.Invoke(round, side, result);
        }

        return Enumerable.Range(0, rounds).Select(r => (a[r], b[r])).ToList();
    }
}
