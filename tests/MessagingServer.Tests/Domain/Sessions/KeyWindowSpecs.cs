using MessagingServer.Domain.Sessions;

namespace MessagingServer.Tests.Domain.Sessions;

/// <summary>The dedup window: bounded by count and by time, its first value kept, stored and read back whole.</summary>
public sealed class KeyWindowSpecs
{
    private static readonly DateTimeOffset At = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Past_its_count_the_oldest_key_is_forgotten()
    {
        var window = new KeyWindow(2, TimeSpan.FromDays(1));
        window.Add("a", 1, At);
        window.Add("b", 2, At);
        window.Add("c", 3, At);

        Assert.False(window.Contains("a"));
        Assert.True(window.TryGet("b", out var b));
        Assert.Equal(2, b);
        Assert.True(window.Contains("c"));
        Assert.Equal(2, window.Count);
    }

    [Fact]
    public void A_key_older_than_the_retention_is_forgotten_when_a_newer_one_arrives()
    {
        var window = new KeyWindow(100, TimeSpan.FromHours(1));
        window.Add("old", 1, At);
        window.Add("recent", 2, At.AddMinutes(30));
        Assert.True(window.Contains("old"));

        window.Add("new", 3, At.AddMinutes(61));

        Assert.False(window.Contains("old"));
        Assert.True(window.Contains("recent"));
        Assert.True(window.Contains("new"));
    }

    [Fact]
    public void A_key_added_again_keeps_its_first_value_and_place()
    {
        var window = new KeyWindow(2, TimeSpan.FromDays(1));
        window.Add("a", 1, At);
        window.Add("a", 9, At);
        window.Add("b", 2, At);

        Assert.True(window.TryGet("a", out var a));
        Assert.Equal(1, a);
        Assert.Equal(2, window.Count);
    }

    [Fact]
    public void Keys_are_exact_strings_not_case_or_whitespace_folded()
    {
        var window = new KeyWindow(10, TimeSpan.FromDays(1));
        window.Add("Ref-1", 1, At);

        Assert.False(window.Contains("ref-1"));
        Assert.False(window.Contains("Ref-1 "));
        Assert.False(window.Contains(""));
        Assert.True(window.Contains("Ref-1"));
    }

    [Fact]
    public void A_window_encoded_and_decoded_holds_the_same_keys_values_and_times_in_order()
    {
        var window = new KeyWindow(10, TimeSpan.FromDays(1));
        window.Add("x", 5, At);
        window.Add("y\u00e9\u0000", 7, At.AddSeconds(1));

        var decoded = KeyWindow.Decode(KeyWindow.Encode(window.InOrder));

        Assert.Equal(window.InOrder, decoded);
        var restored = new KeyWindow(10, TimeSpan.FromDays(1));
        foreach (var entry in decoded)
        {
            restored.Add(entry);
        }

        Assert.True(restored.TryGet("y\u00e9\u0000", out var y));
        Assert.Equal(7, y);
        Assert.Empty(KeyWindow.Decode(KeyWindow.Encode([])));
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("AAAA")] // 3 bytes: not a whole entry
    public void A_damaged_encoding_is_refused_not_half_read(string encoded) =>
        Assert.Throws<FormatException>(() => KeyWindow.Decode(encoded));

    [Theory]
    [InlineData(1, 7)]
    [InlineData(5, 11)]
    [InlineData(64, 13)]
    [InlineData(1000, 17)]
    public void Many_adds_with_repeats_and_evictions_remember_exactly_what_a_plain_queue_would(int capacity, int seed)
    {
        var random = new Random(seed);
        var window = new KeyWindow(capacity, TimeSpan.FromSeconds(500));
        var order = new Queue<(string Key, long Value, DateTimeOffset At)>();
        var at = At;
        for (var step = 0; step < 5_000; step++)
        {
            at = at.AddSeconds(random.Next(0, 3));
            var key = $"k{random.Next(0, capacity * 3)}";
            window.Add(key, step, at);
            if (!order.Any(e => e.Key == key))
            {
                order.Enqueue((key, step, at));
            }

            while (order.Count > capacity || order.Peek().At < at.AddSeconds(-500))
            {
                order.Dequeue();
            }

            if (step % 97 == 0)
            {
                for (var k = 0; k < capacity * 3; k++)
                {
                    var expected = order.FirstOrDefault(e => e.Key == $"k{k}");
                    Assert.Equal(expected.Key is not null, window.TryGet($"k{k}", out var value));
                    Assert.Equal(expected.Key is null ? 0 : expected.Value, value);
                }

                Assert.Equal(order.Count, window.Count);
                Assert.Equal(order.Select(e => e.Value), window.InOrder.Select(e => e.Value));
            }
        }
    }
}
