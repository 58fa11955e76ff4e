using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace MessagingServer.Domain.Sessions;

/// <summary>
/// Keys remembered for dedup (clientRefs, provider SIDs) in a window sized by count and by time: at most
/// <c>capacity</c> keys, none older than <c>retention</c> (measured from the newest key's time, so it is pure).
/// A key is held as 8 bytes of its SHA-256, with a value (the seq it stands for) and its time: about 40 bytes per
/// key instead of the few hundred its string and a map to its record took. Two keys that share those 8 bytes are a
/// chance of about one in 10^15 among 10,000 keys, and callers that can check the match (a clientRef's first send is
/// read back) do.
/// </summary>
public sealed class KeyWindow(int capacity, TimeSpan retention)
{
    private const int EntrySize = 24;
    private readonly Dictionary<ulong, long> _values = [];
    private readonly Queue<Entry> _order = new();

    public int Count => _values.Count;

    /// <summary>The remembered keys, oldest first, to be stored in a snapshot.</summary>
    public IEnumerable<Entry> InOrder => _order;

    public static ulong KeyOf(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), digest);
        return BinaryPrimitives.ReadUInt64LittleEndian(digest);
    }

    public bool Contains(string text) => _values.ContainsKey(KeyOf(text));

    /// <summary>The value remembered for <paramref name="text"/>, if it is still in the window.</summary>
    public bool TryGet(string text, out long value) => _values.TryGetValue(KeyOf(text), out value);

    /// <summary>Remembers <paramref name="text"/> (a key already remembered keeps its first value) and forgets what falls out.</summary>
    public void Add(string text, long value, DateTimeOffset at) => Add(new Entry(KeyOf(text), value, at.UtcTicks));

    public void Add(Entry entry)
    {
        if (_values.TryAdd(entry.Key, entry.Value))
        {
            _order.Enqueue(entry);
        }

        var oldest = entry.Ticks - retention.Ticks;
        while (_order.Count > capacity || (_order.Count > 0 && _order.Peek().Ticks < oldest))
        {
            _values.Remove(_order.Dequeue().Key);
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
