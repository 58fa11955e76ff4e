using System.Text;
using CsCheck;

namespace MessagingServer.TestSupport.Fuzzing;

/// <summary>
/// Hostile inputs for the parsers: random bytes, JSON of any shape, valid requests mutated byte by byte,
/// huge and deeply nested JSON, invalid UTF-8, repeated keys, strings full of control, bidi and zero-width
/// characters. Each generator is one class of input; <see cref="AnyFrame"/> mixes them.
/// </summary>
public static class FuzzInputs
{
    /// <summary>Characters that break naive handling: NUL and C0/C1 controls, bidi overrides, zero-width, surrogates' neighbours, quotes.</summary>
    public static readonly Gen<char> NastyChar = Gen.OneOf(
        Gen.Char['\0', '\u001f'], Gen.Char['\u007f', '\u009f'], Gen.Char['\u202a', '\u202e'], Gen.Char['\u2066', '\u2069'],
        Gen.Char['\u200b', '\u200f'], Gen.OneOf('\ufeff', '\ufffd', '\uffff', '"', '\\', '/', '+', '%', '&', '=', '\u00e9', '\u4e2d'),
        Gen.Char['a', 'z'], Gen.Char['0', '9']);

    public static readonly Gen<string> NastyString = Gen.Frequency(
        (6, NastyChar.Array[0, 24].Select(c => new string(c))),
        (2, Gen.String[0, 40]),
        (1, NastyChar.SelectMany(c => Gen.Int[100, 2_000].Select(n => new string(c, n)))));

    public static readonly Gen<string> FieldName = Gen.Frequency(
        (4, Gen.OneOf("type", "to", "body", "clientRef", "seq", "media")),
        (1, Gen.OneOf("Type", "TYPE", "to\u0000", "", "__proto__", "constructor")),
        (1, NastyString));

    /// <summary>A JSON string literal of <paramref name="text"/> (escaped as a serializer would, lone surrogates included).</summary>
    public static string JsonString(string text) => System.Text.Json.JsonSerializer.Serialize(text);

    /// <summary>JSON of any shape: scalars of every type, arrays and objects (known and unknown field names), nested a few levels.</summary>
    public static readonly Gen<string> AnyJson = Gen.Recursive<string>((depth, self) =>
    {
        var scalar = Gen.OneOf(
            Gen.OneOf("null", "true", "false", "0", "-0", "1e309", "-1", "9223372036854775808", "1.5", "\"send\"", "\"ack\"", "\"ping\"", "\"+15551234567\""),
            Gen.Long.Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            Gen.Double.Select(d => double.IsFinite(d) ? d.ToString("R", System.Globalization.CultureInfo.InvariantCulture) : "0"),
            NastyString.Select(JsonString));
        if (depth > 3)
        {
            return scalar;
        }

        var array = self.Array[0, 4].Select(items => "[" + string.Join(",", items) + "]");
        var member = Gen.Select(FieldName, self, (name, value) => JsonString(name) + ":" + value);
        var obj = member.Array[0, 5].Select(members => "{" + string.Join(",", members) + "}");
        return Gen.Frequency((3, scalar), (2, array), (4, obj));
    });

    /// <summary>Requests a client might send, valid or nearly: every type, plausible and implausible field values.</summary>
    public static readonly Gen<string> NearlyValidRequest = Gen.OneOf(
        Gen.Select(
            Gen.OneOf("+15551234567", "+1555", "15551234567", "+1555123456789012", "", "+١٢٣٤٥٦٧٨٩"),
            Gen.OneOf(NastyString, Gen.Const("hello"), Gen.Int[1590, 1610].Select(n => new string('x', n))),
            Gen.OneOf(Gen.Const((string?)null), NastyString.Select(s => (string?)s)),
            (to, body, clientRef) => "{\"type\":\"send\",\"to\":" + JsonString(to) + ",\"body\":" + JsonString(body)
                + (clientRef is null ? "" : ",\"clientRef\":" + JsonString(clientRef)) + "}"),
        Gen.OneOf("0", "-1", "1", "9223372036854775807", "1.0", "\"5\"", "null", "1e3").Select(seq => "{\"type\":\"ack\",\"seq\":" + seq + "}"),
        Gen.Const("{\"type\":\"ping\"}"));

    /// <summary>A valid request changed at a few random places: bytes flipped, inserted, removed, the frame cut short or doubled.</summary>
    public static readonly Gen<byte[]> MutatedRequest = Gen.Select(NearlyValidRequest, Gen.Int.Array[1, 6], (text, edits) =>
    {
        var bytes = new List<byte>(Encoding.UTF8.GetBytes(text));
        foreach (var edit in edits)
        {
            var at = bytes.Count == 0 ? 0 : (int)((uint)edit % (uint)bytes.Count);
            switch ((uint)edit % 6)
            {
                case 0 when bytes.Count > 0: bytes[at] = (byte)(edit >> 8); break;
                case 1: bytes.Insert(at, (byte)(edit >> 16)); break;
                case 2 when bytes.Count > 0: bytes.RemoveAt(at); break;
                case 3: bytes.RemoveRange(at, bytes.Count - at); break;
                case 4: bytes.AddRange(bytes.ToArray()); break;
                default: bytes.InsertRange(at, "\"type\":\"send\","u8.ToArray()); break;
            }
        }

        return bytes.ToArray();
    });

    /// <summary>Objects whose known keys repeat, with the same or different values and types.</summary>
    public static readonly Gen<string> RepeatedKeys = Gen.Select(
        Gen.OneOf("type", "to", "body", "clientRef", "seq"), AnyJson, AnyJson, Gen.Bool,
        (key, first, second, sendFirst) => "{" + (sendFirst ? "\"type\":\"send\"," : "") + JsonString(key) + ":" + first + ","
            + JsonString(key) + ":" + second + ",\"to\":\"+15551234567\",\"body\":\"x\"}");

    /// <summary>Nesting from a few levels to far past any reader's limit, inside a known or unknown field.</summary>
    public static readonly Gen<string> DeepJson = Gen.Select(Gen.Int[1, 5_000], Gen.OneOf("body", "media", "x", "to"), Gen.Bool, (depth, field, arrays) =>
        "{\"type\":\"send\",\"to\":\"+15551234567\"," + JsonString(field) + ":" + (arrays
            ? new string('[', depth) + new string(']', depth)
            : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth)) + "}");

    /// <summary>Large documents: a long array of numbers, many unknown fields, or one huge string.</summary>
    public static readonly Gen<string> HugeJson = Gen.OneOf(
        Gen.Int[1_000, 20_000].Select(n => "{\"type\":\"send\",\"x\":[" + string.Join(",", Enumerable.Repeat("1", n)) + "]}"),
        Gen.Int[100, 2_000].Select(n => "{" + string.Join(",", Enumerable.Range(0, n).Select(i => $"\"k{i}\":{i}")) + ",\"type\":\"ping\"}"),
        Gen.Int[2_000, 70_000].Select(n => "{\"type\":\"send\",\"to\":\"+15551234567\",\"body\":\"" + new string('y', n) + "\"}"));

    /// <summary>Byte sequences UTF-8 forbids (lone continuation bytes, overlong forms, surrogates, truncated sequences), inside a valid frame or alone.</summary>
    public static readonly Gen<byte[]> InvalidUtf8 = Gen.Select(
        Gen.OneOf<byte[]>([0x80], [0xc0, 0xaf], [0xe0, 0x80, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xff], [0xe2, 0x82], [0xf0, 0x9f, 0x98]),
        NearlyValidRequest, Gen.Int[0, 1000],
        (bad, text, at) =>
        {
            var bytes = Encoding.UTF8.GetBytes(text).ToList();
            bytes.InsertRange(bytes.Count == 0 ? 0 : at % bytes.Count, bad);
            return bytes.ToArray();
        });

    public static readonly Gen<byte[]> RandomBytes = Gen.Byte.Array[0, 512];

    /// <summary>Every class above, as the bytes of one frame or body.</summary>
    public static readonly Gen<byte[]> AnyFrame = Gen.Frequency(
        (3, RandomBytes),
        (4, AnyJson.Select(Encoding.UTF8.GetBytes)),
        (4, NearlyValidRequest.Select(Encoding.UTF8.GetBytes)),
        (4, MutatedRequest),
        (2, RepeatedKeys.Select(Encoding.UTF8.GetBytes)),
        (1, DeepJson.Select(Encoding.UTF8.GetBytes)),
        (1, HugeJson.Select(Encoding.UTF8.GetBytes)),
        (2, InvalidUtf8));

    /// <summary>A printable, bounded rendering of a failing input for CsCheck's report.</summary>
    public static string Show(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var text = Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, 300));
        return $"{bytes.Length} bytes: {System.Text.Json.JsonSerializer.Serialize(text)}{(bytes.Length > 300 ? "…" : "")}";
    }
}
