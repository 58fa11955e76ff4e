using System.Text;
using System.Text.RegularExpressions;

namespace MessagingServer.Observability;

/// <summary>
/// Masks phone numbers in text bound for a log (Twilio's error messages name the number: "The 'To' number
/// +15551234567 is not a valid phone number"): every run of 7 or more digits, with an optional <c>+</c> and the
/// usual separators (space, dot, dash, brackets) between them, keeps only its last two digits. Shorter numbers
/// (Twilio's error codes, years, counts) are left alone.
/// </summary>
public static partial class PhoneNumberMask
{
    public const int KeptDigits = 2;

    /// <summary>Longer text is cut to this many characters first: a log line needs no more of a provider's message.</summary>
    public const int MaxLength = 2048;

    private static readonly char[] NumberCharacters = "+0123456789 .()-".ToCharArray();

    public static string Mask(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? "";
        }

        try
        {
            // Cut where no number is split, so that no part of one shows unmasked.
            return MaskNumbers(text.Length > MaxLength ? text[..MaxLength].TrimEnd(NumberCharacters) + "…" : text);
        }
        catch (RegexMatchTimeoutException)
        {
            return "(text withheld: it could not be masked in time)";
        }
    }

    private static string MaskNumbers(string text) =>
        Number().Replace(text, match =>
        {
            var digits = match.Value.Count(char.IsAsciiDigit);
            if (digits < 7)
            {
                return match.Value;
            }

            var masked = new StringBuilder(match.Length);
            var seen = 0;
            foreach (var c in match.Value)
            {
                masked.Append(char.IsAsciiDigit(c) && ++seen <= digits - KeptDigits ? '*' : c);
            }

            return masked.ToString();
        });

    [GeneratedRegex(@"\+?\d(?:[\s.()-]{0,2}\d)+", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 200)]
    private static partial Regex Number();
}
