using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace MessagingServer.Domain.Sessions;

/// <summary>
/// Keys remembered for dedup (clientRefs, provider SIDs) in a window sized by count and by time: at most
/// <c>capacity</c> keys, none older than <c>retention</c> (measured from the newest key's time, so it is pure).
/// A key is held as 8 bytes of its SHA-256, with a value (the seq it stands for) and its time to the second: about 28
/// bytes per key instead of the few hundred its string and a map to its record took. Two keys that share those 8 bytes are a
/// chance of about one in 10^15 among 10,000 keys, and callers that can check the match (a clientRef's first send is
/// read back) do.
/// </summary>
public sealed class KeyWindow(int capacity, TimeSpan retention)
{
    private const int EntrySize = 24;

    // The keys, oldest first, in a ring that grows by doubling up to the capacity: about 28 bytes per key with the
    // index below, where a dictionary and a queue of entries took about 90 (their spare capacity included).
    private ulong[] _keys = [];
    private long[] _values = [];
    private int[] _seconds = [];
    private int _head;

    // Open addressing with linear probing: each slot holds a ring position + 1 (0 is empty); at most half full.
    private int[] _slots = [];

    public int Count { get; private set; }

    /// <summary>The remembered keys, oldest first, to be stored in a snapshot.</summary>
    public IEnumerable<Entry> InOrder
    {
        get
        {
            for (var i = 0; i < Count; i++)
            {
                var at = (_head + i) % _keys.Length;
                yield return new Entry(_keys[at], _values[at], TicksOf(_seconds[at]));
            }
        }
    }

    public static ulong KeyOf(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        var length = Encoding.UTF8.GetMaxByteCount(text.Length);
        // ClientRefs (at most 128 characters) and SIDs fit on the stack: no allocation per send or webhook.
        Span<byte> utf8 = length <= 512 ? stackalloc byte[length] : new byte[length];
        SHA256.HashData(utf8[..Encoding.UTF8.GetBytes(text, utf8)], digest);
        return BinaryPrimitives.ReadUInt64LittleEndian(digest);
    }

    public bool Contains(string text) => Find(KeyOf(text)) >= 0;

    /// <summary>The value remembered for <paramref name="text"/>, if it is still in the window.</summary>
    public bool TryGet(string text, out long value)
    {
        var at = Find(KeyOf(text));
        value = at >= 0 ? _values[at] : 0;
        return at >= 0;
    }

    /// <summary>Remembers <paramref name="text"/> (a key already remembered keeps its first value) and forgets what falls out.</summary>
    public void Add(string text, long value, DateTimeOffset at) => Add(new Entry(KeyOf(text), value, at.UtcTicks));

    public void Add(Entry entry)
    {
        if (capacity <= 0)
        {
            return;
        }

        if (Find(entry.Key) < 0)
        {
            while (Count >= capacity)
            {
                RemoveOldest();
            }

            if (Count == _keys.Length)
            {
                Grow();
            }

            var at = (_head + Count) % _keys.Length;
            (_keys[at], _values[at], _seconds[at]) = (entry.Key, entry.Value, SecondsOf(entry.Ticks));
            Count++;
            Index(at);
        }

        var oldest = SecondsOf(entry.Ticks - retention.Ticks);
        while (Count > 0 && _seconds[_head] < oldest)
        {
            RemoveOldest();
        }
    }

    // Times are kept to the second from 2020, which holds until 2088; a window's retention is hours, not seconds.
    private static readonly long Epoch = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;

    private static int SecondsOf(long ticks) => (int)Math.Clamp((ticks - Epoch) / TimeSpan.TicksPerSecond, int.MinValue, int.MaxValue);

    private static long TicksOf(int seconds) => Epoch + (seconds * TimeSpan.TicksPerSecond);

    private int SlotOf(ulong key) => (int)((key * 0x9E3779B97F4A7C15UL) >> 32) & (_slots.Length - 1);

    private int Find(ulong key)
    {
        if (Count == 0)
        {
            return -1;
        }

        for (var slot = SlotOf(key); _slots[slot] != 0; slot = (slot + 1) & (_slots.Length - 1))
        {
            if (_keys[_slots[slot] - 1] == key)
            {
                return _slots[slot] - 1;
            }
        }

        return -1;
    }

    private void Index(int at)
    {
        var slot = SlotOf(_keys[at]);
        while (_slots[slot] != 0)
        {
            slot = (slot + 1) & (_slots.Length - 1);
        }

        _slots[slot] = at + 1;
    }

    /// <summary>Drops the oldest key, closing the gap it leaves in its probe run (backward-shift deletion).</summary>
    private void RemoveOldest()
    {
        var mask = _slots.Length - 1;
        var slot = SlotOf(_keys[_head]);
        while (_slots[slot] != _head + 1)
        {
            slot = (slot + 1) & mask;
        }

        _slots[slot] = 0;
        for (var next = (slot + 1) & mask; _slots[next] != 0; next = (next + 1) & mask)
        {
            var home = SlotOf(_keys[_slots[next] - 1]);
            // Move it back into the gap unless its home lies cyclically in (gap, next].
            if (((next - home) & mask) >= ((next - slot) & mask))
            {
                _slots[slot] = _slots[next];
                _slots[next] = 0;
                slot = next;
            }
        }

        _head = (_head + 1) % _keys.Length;
        Count--;
    }

    private void Grow()
    {
        var size = Math.Min(capacity, Math.Max(8, _keys.Length * 2));
        var (keys, values, seconds) = (new ulong[size], new long[size], new int[size]);
        for (var i = 0; i < Count; i++)
        {
            var at = (_head + i) % _keys.Length;
            (keys[i], values[i], seconds[i]) = (_keys[at], _values[at], _seconds[at]);
        }

        (_keys, _values, _seconds, _head) = (keys, values, seconds, 0);
        _slots = new int[(int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)size * 2)];
        for (var i = 0; i < Count; i++)
        {
            Index(i);
        }
    }

    /// <summary>The entries as a snapshot stores them: 24 bytes each (key, value, ticks), base64.</summary>
    public static string Encode(IEnumerable<Entry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var list = entries.ToList();
        var bytes = new byte[list.Count * EntrySize];
        for (var i = 0; i < list.Count; i++)
        {
            var slot = bytes.AsSpan(i * EntrySize, EntrySize);
            BinaryPrimitives.WriteUInt64LittleEndian(slot, list[i].Key);
            BinaryPrimitives.WriteInt64LittleEndian(slot[8..], list[i].Value);
            BinaryPrimitives.WriteInt64LittleEndian(slot[16..], list[i].Ticks);
        }

        return Convert.ToBase64String(bytes);
    }

    /// <summary>The entries <see cref="Encode"/> wrote; a value that is not a whole number of entries is refused.</summary>
    public static IReadOnlyList<Entry> Decode(string encoded)
    {
        var bytes = Convert.FromBase64String(encoded);
        if (bytes.Length % EntrySize != 0)
        {
            throw new FormatException($"a key window holds {EntrySize}-byte entries; {bytes.Length} bytes is not a whole number of them");
        }

        var entries = new Entry[bytes.Length / EntrySize];
        for (var i = 0; i < entries.Length; i++)
        {
            var slot = bytes.AsSpan(i * EntrySize, EntrySize);
            entries[i] = new Entry(
                BinaryPrimitives.ReadUInt64LittleEndian(slot), BinaryPrimitives.ReadInt64LittleEndian(slot[8..]), BinaryPrimitives.ReadInt64LittleEndian(slot[16..]));
        }

        return entries;
    }

    /// <summary>One remembered key: its hash, its value and when it was added (UTC ticks).</summary>
    public readonly record struct Entry(ulong Key, long Value, long Ticks);
}
