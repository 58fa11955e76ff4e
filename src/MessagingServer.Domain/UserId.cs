using System.Diagnostics.CodeAnalysis;

namespace MessagingServer.Domain;

/// <summary>A user (a business account): 1–64 characters of letters, digits, <c>-</c>, <c>_</c>, <c>.</c> and <c>@</c>.</summary>
public sealed record UserId
{
    public const int MaxLength = 64;

    private UserId(string value) => Value = value;

    public string Value { get; }

    public static bool TryParse(string? text, [NotNullWhen(true)] out UserId? userId)
    {
        userId = null;
        if (string.IsNullOrEmpty(text) || text.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '@'))
            {
                return false;
            }
        }

        userId = new UserId(text);
        return true;
    }

    public static UserId Parse(string text) =>
        TryParse(text, out var id) ? id : throw new FormatException($"'{text}' is not a valid user id");

    public override string ToString() => Value;
}
