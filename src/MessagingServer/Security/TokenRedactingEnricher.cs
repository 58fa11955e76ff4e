using System.Text.RegularExpressions;
using Serilog.Core;
using Serilog.Events;

namespace MessagingServer.Security;

/// <summary>
/// Blanks access tokens in log event properties: the value of every <c>access_token</c> query parameter
/// (however its name is percent-encoded) and anything shaped like a JWT. ASP.NET Core's own request logs
/// carry the query string (<c>Request starting ... ?access_token=...</c>); whatever the log levels, a
/// token never reaches a sink.
/// </summary>
internal sealed partial class TokenRedactingEnricher : ILogEventEnricher
{
    public const string Redacted = "[redacted]";

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        List<LogEventProperty>? replacements = null;
        foreach (var (name, value) in logEvent.Properties)
        {
            if (value is ScalarValue { Value: string text } && Redact(text) is var redacted && !ReferenceEquals(redacted, text))
            {
                (replacements ??= []).Add(new LogEventProperty(name, new ScalarValue(redacted)));
            }
        }

        foreach (var property in replacements ?? [])
        {
            logEvent.AddOrUpdateProperty(property);
        }
    }

    /// <summary>The text with tokens blanked; the same instance when there was nothing to blank.</summary>
    internal static string Redact(string text)
    {
        var result = text;
        if (result.Contains('='))
        {
            result = QueryParameter().Replace(result, static match =>
                IsTokenParameter(match.Groups["name"].Value) ? match.Groups["head"].Value + Redacted : match.Value);
        }

        if (result.Contains("eyJ", StringComparison.Ordinal))
        {
            result = JwtShape().Replace(result, Redacted);
        }

        return string.Equals(result, text, StringComparison.Ordinal) ? text : result;
    }

    private static bool IsTokenParameter(string encodedName)
    {
        string name;
        try
        {
            name = Uri.UnescapeDataString(encodedName.Replace('+', ' '));
        }
        catch (UriFormatException)
        {
            name = encodedName;
        }

        return name.Trim().Equals(AccessTokenSources.QueryParameter, StringComparison.OrdinalIgnoreCase);
    }

    [GeneratedRegex("(?<head>(?:^|[?&;])(?<name>[^=&;#?\\s]+)=)[^&;#\\s\"']*", RegexOptions.CultureInvariant)]
    private static partial Regex QueryParameter();

    // Base64url of '{"' is "eyJ": every JWT header starts so; header.payload[.signature].
    [GeneratedRegex("eyJ[A-Za-z0-9_\\-]*\\.[A-Za-z0-9_\\-]+(?:\\.[A-Za-z0-9_\\-]*)?", RegexOptions.CultureInvariant)]
    private static partial Regex JwtShape();
}
