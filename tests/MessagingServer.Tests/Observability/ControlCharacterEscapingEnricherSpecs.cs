using MessagingServer.Observability;
using Serilog.Events;
using Serilog.Parsing;

namespace MessagingServer.Tests.Observability;

public sealed class ControlCharacterEscapingEnricherSpecs
{
    [Theory]
    [InlineData("/x\r\n[20:00:00 ERR] forged", "/x\\r\\n[20:00:00 ERR] forged")]
    [InlineData("tab\there", "tab\\there")]
    [InlineData("\u001b[31mred\u001b[0m", "\\u001B[31mred\\u001B[0m")]
    [InlineData("nul\0del\u007fc1\u0085\u009b", "nul\\u0000del\\u007Fc1\\u0085\\u009B")]
    [InlineData("abc\u202Efed\u2066x\u2069\u200E\u200F\u061C", "abc\\u202Efed\\u2066x\\u2069\\u200E\\u200F\\u061C")]
    public void Control_characters_become_visible_text(string text, string expected) =>
        Assert.Equal(expected, ControlCharacterEscapingEnricher.Escape(text));

    [Theory]
    [InlineData("GET /api/users/alice/messages")]
    [InlineData("Grüße, 你好, émoji 🙂, zero\u200Bwidth space")]
    [InlineData("")]
    public void Text_without_controls_is_left_as_it_is(string text) =>
        Assert.Same(text, ControlCharacterEscapingEnricher.Escape(text));

    [Fact]
    public void Every_property_is_escaped_however_deep_it_sits()
    {
        var forged = "a\nb";
        var logEvent = new LogEvent(DateTimeOffset.UtcNow, LogEventLevel.Information, null, new MessageTemplateParser().Parse("{Path}"),
        [
            new LogEventProperty("Path", new ScalarValue(forged)),
            new LogEventProperty("Count", new ScalarValue(3)),
            new LogEventProperty("List", new SequenceValue([new ScalarValue(forged)])),
            new LogEventProperty("Shape", new StructureValue([new LogEventProperty("Inner", new ScalarValue(forged))])),
            new LogEventProperty("Map", new DictionaryValue([new(new ScalarValue(forged), new ScalarValue(forged))])),
        ]);

        new ControlCharacterEscapingEnricher().Enrich(logEvent, null!);

        using var rendered = new StringWriter();
        logEvent.RenderMessage(rendered);
        Assert.Equal("\"a\\nb\"", rendered.ToString());
        Assert.Equal(3, ((ScalarValue)logEvent.Properties["Count"]).Value);
        Assert.Equal("[\"a\\nb\"]", logEvent.Properties["List"].ToString());
        Assert.Equal("{ Inner: \"a\\nb\" }", logEvent.Properties["Shape"].ToString());
        Assert.Equal("[(\"a\\nb\": \"a\\nb\")]", logEvent.Properties["Map"].ToString());
        Assert.DoesNotContain(logEvent.Properties.Values, v => v.ToString().Contains('\n', StringComparison.Ordinal));
    }
}
