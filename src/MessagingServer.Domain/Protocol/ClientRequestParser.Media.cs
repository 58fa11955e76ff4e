using System.Text.Json;

namespace MessagingServer.Domain.Protocol;

/// <summary>The <c>media</c> field of a send: read whole, so the fields after it are still read (and the refusal can carry the clientRef).</summary>
public static partial class ClientRequestParser
{
    /// <summary>
    /// Reads <c>media</c> at the reader's value: null (or an empty array) is no media; anything else but an array of
    /// valid, distinct URLs leaves <see cref="Fields.MediaProblem"/> set. Nested values are skipped, never read into.
    /// </summary>
    private static void ReadMedia(ref Utf8JsonReader reader, ref Fields fields)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            fields.MediaProblem = $"'media' must be an array of up to {MediaUrls.MaxCount} https:// URLs";
            return;
        }

        var urls = new List<string>();
        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (fields.MediaProblem is null)
            {
                fields.MediaProblem = MediaEntryProblem(ref reader, urls, index);
            }

            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                reader.Skip();
            }

            index++;
        }

        fields.Media = urls.Count == 0 ? null : urls;
    }

    private static string? MediaEntryProblem(ref Utf8JsonReader reader, List<string> urls, int index)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            return $"'media[{index}]' must be a string (an https:// URL)";
        }

        if (urls.Count == MediaUrls.MaxCount)
        {
            return $"'media' holds more than {MediaUrls.MaxCount} URLs";
        }

        // Longer than any allowed URL even before unescaping: refused without making a string of it.
        if (reader.ValueSpan.Length > MediaUrls.MaxLength * 6)
        {
            return $"'media[{index}]' is over {MediaUrls.MaxLength} characters";
        }

        var url = reader.GetString()!;
        if (MediaUrls.Problem(url, index) is { } problem)
        {
            return problem;
        }

        if (urls.Contains(url, StringComparer.Ordinal))
        {
            return $"'media[{index}]' repeats an earlier URL; list each media URL once";
        }

        urls.Add(url);
        return null;
    }
}
