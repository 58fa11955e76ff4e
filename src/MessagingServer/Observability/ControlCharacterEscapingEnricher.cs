using System.Globalization;
using System.Text;
using Serilog.Core;
using Serilog.Events;

namespace MessagingServer.Observability;

/// <summary>
/// Makes every control character in a log event's property values visible text, before any sink sees it: CR, LF
/// and tab as <c>\r</c>, <c>\n</c>, <c>\t</c>; every other C0 or C1 control (ESC included), DEL, and the
/// bidirectional overrides and isolates as <c>\uXXXX</c>. A client-chosen value (a path, a header, a form field)
/// can then neither start a forged line in the text log nor move the cursor, recolour or reorder what a terminal
/// or a log viewer shows. Values inside structures, lists and dictionaries are escaped too.
/// </summary>
internal sealed class ControlCharacterEscapingEnricher : ILogEventEnricher
{
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        List<LogEventProperty>? replacements = null;
        foreach (var (name, value) in logEvent.Properties)
        {
            var escaped = Escape(value);
            if (!ReferenceEquals(escaped, value))
            {
                (replacements ??= []).Add(new LogEventProperty(name, escaped));
            }
        }

        foreach (var property in replacements ?? [])
        {
            logEvent.AddOrUpdateProperty(property);
        }
    }

    /// <summary>The value with its text escaped; the same instance when nothing needed escaping.</summary>
    internal static LogEventPropertyValue Escape(LogEventPropertyValue value)
    {
        switch (value)
        {
            case ScalarValue { Value: string text }:
                var escapedText = Escape(text);
                return ReferenceEquals(escapedText, text) ? value : new ScalarValue(escapedText);
            case SequenceValue sequence:
                var elements = sequence.Elements.Select(Escape).ToList();
                return elements.SequenceEqual(sequence.Elements, ReferenceEqualityComparer.Instance) ? value : new SequenceValue(elements);
            case StructureValue structure:
                var properties = structure.Properties.Select(p => Escape(p.Value) is var v && ReferenceEquals(v, p.Value) ? p : new LogEventProperty(p.Name, v)).ToList();
                return properties.SequenceEqual(structure.Properties, ReferenceEqualityComparer.Instance) ? value : new StructureValue(properties, structure.TypeTag);
            case DictionaryValue dictionary:
                var changed = false;
                var entries = new List<KeyValuePair<ScalarValue, LogEventPropertyValue>>(dictionary.Elements.Count);
                foreach (var (key, element) in dictionary.Elements)
                {
                    var escapedKey = (ScalarValue)Escape(key);
                    var escapedElement = Escape(element);
                    changed |= !ReferenceEquals(escapedKey, key) || !ReferenceEquals(escapedElement, element);
                    entries.Add(new(escapedKey, escapedElement));
                }

                return changed ? new DictionaryValue(entries) : value;
            default:
                return value;
        }
    }

    /// <summary>The text with control characters escaped; the same instance when it has none.</summary>
    internal static string Escape(string text)
    {
        var first = IndexOfControl(text);
        if (first < 0)
        {
            return text;
        }

        var sb = new StringBuilder(text.Length + 16).Append(text, 0, first);
        foreach (var c in text.AsSpan(first))
        {
            switch (c)
            {
                case '\r':
                    sb.Append("\\r");
                    break;
                case '\n':
                    sb.Append("\\n");
                    break;
                case '\t':
                    sb.Append("\\t");
                    break;
                default:
                    if (IsControl(c))
                    {
                        sb.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        return sb.ToString();
    }

    private static int IndexOfControl(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (IsControl(text[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>C0, DEL, C1, and the bidirectional marks, embeddings, overrides and isolates (U+061C, U+200E/F, U+202A–E, U+2066–9).</summary>
    private static bool IsControl(char c) =>
        c < 0x20 || c is >= '\u007F' and <= '\u009F'
        || c is '\u061C' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');
}
