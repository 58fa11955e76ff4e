namespace MessagingServer.Domain.Messages;

/// <summary>How a body will be billed: its encoding and the number of SMS segments.</summary>
public readonly record struct SegmentInfo(string Encoding, int Segments, int Units);

/// <summary>
/// GSM-7 when every character is in the GSM 03.38 basic or extension table (extension characters
/// take two septets), otherwise UCS-2 (UTF-16 code units, so an emoji takes two).
/// One segment holds 160 septets / 70 units; a concatenated message 153 / 67 per segment.
/// </summary>
public static class SmsSegments
{
    public const string Gsm7 = "GSM-7";
    public const string Ucs2 = "UCS-2";

    private const string BasicTable =
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
        "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

    private const string ExtensionTable = "\f^{}\\[~]|€";

    private static readonly System.Buffers.SearchValues<char> Basic = System.Buffers.SearchValues.Create(BasicTable);
    private static readonly System.Buffers.SearchValues<char> Extension = System.Buffers.SearchValues.Create(ExtensionTable);

    public static SegmentInfo Measure(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var septets = 0;
        foreach (var c in body)
        {
            if (Basic.Contains(c))
            {
                septets += 1;
            }
            else if (Extension.Contains(c))
            {
                septets += 2;
            }
            else
            {
                return Count(Ucs2, body.Length, single: 70, multi: 67);
            }
        }

        return Count(Gsm7, septets, single: 160, multi: 153);
    }

    private static SegmentInfo Count(string encoding, int units, int single, int multi) =>
        new(encoding, units <= single ? 1 : (units + multi - 1) / multi, units);
}
