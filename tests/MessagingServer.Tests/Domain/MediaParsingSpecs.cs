using System.Text;
using System.Text.Json;
using MessagingServer.Domain.Protocol;

namespace MessagingServer.Tests.Domain;

/// <summary>The <c>media</c> of a send (MMS), on the socket and the REST body alike: what is accepted, and every refusal.</summary>
public sealed class MediaParsingSpecs
{
    private const string Photo = "https://cdn.example.com/p/photo%201.jpg?sig=a,b";

    private static ClientRequest Parse(string json) => ClientRequestParser.Parse(Encoding.UTF8.GetBytes(json));

    private static string SendWith(string media, string body = "\"hi\"") =>
        $$"""{"type":"send","to":"+15550001111","body":{{body}},"media":{{media}},"clientRef":"r1"}""";

    private static string Array(IEnumerable<string> urls) => JsonSerializer.Serialize(urls.ToArray());

    [Fact]
    public void Media_urls_are_kept_in_order()
    {
        var send = Assert.IsType<SendRequest>(Parse(SendWith(Array([Photo, "https://example.org/b.png"]))));

        Assert.Equal([Photo, "https://example.org/b.png"], send.Media);
        Assert.Equal("hi", send.Body);
    }

    [Theory]
    [InlineData("\"\"")]
    [InlineData("\"  \"")]
    public void With_media_the_body_may_be_empty(string body)
    {
        var send = Assert.IsType<SendRequest>(Parse(SendWith(Array([Photo]), body)));

        Assert.Equal(JsonSerializer.Deserialize<string>(body), send.Body);
        Assert.Equal([Photo], send.Media);
    }

    [Fact]
    public void With_media_the_body_may_be_left_out()
    {
        var send = Assert.IsType<SendRequest>(ClientRequestParser.ParseSend(
            Encoding.UTF8.GetBytes($$"""{"to":"+15550001111","media":{{Array([Photo])}}}""")));

        Assert.Equal("", send.Body);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("[]")]
    public void Null_or_empty_media_is_a_plain_sms_and_still_needs_a_body(string media)
    {
        Assert.Null(Assert.IsType<SendRequest>(Parse(SendWith(media))).Media);
        Assert.Equal(ErrorCodes.EmptyBody, Assert.IsType<InvalidRequest>(Parse(SendWith(media, "\"\""))).Code);
        Assert.Equal(ErrorCodes.MissingField, Assert.IsType<InvalidRequest>(Parse($$"""{"type":"send","to":"+15550001111","media":{{media}}}""")).Code);
    }

    [Theory]
    [InlineData("\"https://example.com/a.jpg\"")]
    [InlineData("{\"url\":\"https://example.com/a.jpg\"}")]
    [InlineData("7")]
    [InlineData("true")]
    [InlineData("[7]")]
    [InlineData("[null]")]
    [InlineData("[[\"https://example.com/a.jpg\"]]")]
    [InlineData("[{\"a\":[1,{\"b\":2}]}]")]
    [InlineData("[\"\"]")]
    [InlineData("[\"http://example.com/a.jpg\"]")]
    [InlineData("[\"HTTP://example.com/a.jpg\"]")]
    [InlineData("[\"ftp://example.com/a.jpg\"]")]
    [InlineData("[\"javascript:alert(1)\"]")]
    [InlineData("[\"data:image/png;base64,AAAA\"]")]
    [InlineData("[\"file:///etc/passwd\"]")]
    [InlineData("[\"/relative/a.jpg\"]")]
    [InlineData("[\"example.com/a.jpg\"]")]
    [InlineData("[\"https://\"]")]
    [InlineData("[\"https:///path\"]")]
    [InlineData("[\"https://user:secret@example.com/a.jpg\"]")]
    [InlineData("[\"https://example.com/a b.jpg\"]")]
    [InlineData("[\"https://example.com/a.jpg\\u0000\"]")]
    [InlineData("[\"https://example.com/a.jpg\\r\\nX-Injected: 1\"]")]
    [InlineData("[\"https://example.com/\\u202Egpj.exe\"]")]
    [InlineData("[\"https://exämple.com/a.jpg\"]")]
    [InlineData("[\"https://example.com/a.jpg\",\"https://example.com/a.jpg\"]")]
    [InlineData("[\"https://example.com/a.jpg\",5]")]
    public void Bad_media_is_refused_with_invalid_media_and_the_client_ref(string media)
    {
        var invalid = Assert.IsType<InvalidRequest>(Parse(SendWith(media)));

        Assert.Equal(ErrorCodes.InvalidMedia, invalid.Code);
        Assert.Equal("r1", invalid.ClientRef);
        Assert.Contains("media", invalid.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ten_urls_are_accepted_and_eleven_refused()
    {
        var ten = Enumerable.Range(0, MediaUrls.MaxCount).Select(i => $"https://example.com/{i}.jpg").ToList();

        Assert.Equal(ten, Assert.IsType<SendRequest>(Parse(SendWith(Array(ten)))).Media);
        var invalid = Assert.IsType<InvalidRequest>(Parse(SendWith(Array([.. ten, "https://example.com/10.jpg"]))));
        Assert.Equal(ErrorCodes.InvalidMedia, invalid.Code);
        Assert.Contains("more than 10", invalid.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_url_of_2048_characters_is_accepted_and_one_longer_refused()
    {
        const string prefix = "https://example.com/";
        var longest = prefix + new string('a', MediaUrls.MaxLength - prefix.Length);

        Assert.Equal([longest], Assert.IsType<SendRequest>(Parse(SendWith(Array([longest])))).Media);
        Assert.Equal(ErrorCodes.InvalidMedia, Assert.IsType<InvalidRequest>(Parse(SendWith(Array([longest + "a"])))).Code);
    }

    [Fact]
    public void A_huge_escaped_url_is_refused_without_reading_it_into_a_string()
    {
        var escaped = "https://example.com/" + string.Concat(Enumerable.Repeat("\\u0061", 4000));

        Assert.Equal(ErrorCodes.InvalidMedia, Assert.IsType<InvalidRequest>(Parse(SendWith($"[\"{escaped}\"]"))).Code);
    }

    [Fact]
    public void Many_entries_after_a_refusal_are_skipped_and_the_fields_after_media_still_read()
    {
        var entries = string.Join(',', Enumerable.Repeat("[1,[2,{\"x\":3}]]", 500));

        var invalid = Assert.IsType<InvalidRequest>(Parse($$"""{"type":"send","media":[{{entries}}],"to":"+15550001111","clientRef":"late"}"""));

        Assert.Equal(ErrorCodes.InvalidMedia, invalid.Code);
        Assert.Equal("late", invalid.ClientRef);
    }

    [Fact]
    public void A_repeated_media_field_is_a_duplicate_field()
    {
        var json = $$"""{"type":"send","to":"+15550001111","body":"x","media":[],"media":{{Array([Photo])}}}""";

        Assert.Equal(ErrorCodes.DuplicateField, Assert.IsType<InvalidRequest>(Parse(json)).Code);
    }

    [Fact]
    public void Media_on_an_ack_or_a_ping_is_ignored()
    {
        Assert.Equal(new AckRequest(3), Parse("""{"type":"ack","seq":3,"media":["nope"]}"""));
        Assert.Same(PingRequest.Instance, Parse("""{"type":"ping","media":7}"""));
    }

    [Fact]
    public void A_bad_recipient_is_reported_before_bad_media()
    {
        var invalid = Assert.IsType<InvalidRequest>(Parse("""{"type":"send","to":"nope","body":"x","media":[5]}"""));

        Assert.Equal(ErrorCodes.InvalidTo, invalid.Code);
    }
}
