using System.Diagnostics.CodeAnalysis;

namespace MessagingServer.Domain;

/// <summary>An E.164 number: <c>+</c> and 8–15 digits.</summary>
public sealed record PhoneNumber
{
    private PhoneNumber(string value) => Value = value;

    public string Value { get; }

    public static bool TryParse(string? text, [NotNullWhen(true)] out PhoneNumber? number)
    {
        number = null;
        if (text is null || text.Length is < 9 or > 16 || text[0] != '+')
        {
            return false;
        }

        for (var i = 1; i < text.Length; i++)
        {
            if (!char.IsAsciiDigit(text[i]))
            {
                return false;
            }
        }

        number = new PhoneNumber(text);
        return true;
    }

    public static PhoneNumber Parse(string text) =>
        TryParse(text, out var number) ? number : throw new FormatException($"'{text}' is not an E.164 number");

    public override string ToString() => Value;
}
