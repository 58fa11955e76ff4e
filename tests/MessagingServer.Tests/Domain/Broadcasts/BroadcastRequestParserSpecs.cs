using System.Text;
using MessagingServer.Domain.Broadcasts;
using MessagingServer.Domain.Protocol;

namespace MessagingServer.Tests.Domain.Broadcasts;

public sealed class BroadcastRequestParserSpecs
{
    private static object Parse(string json) => BroadcastRequestParser.Parse(Encoding.UTF8.GetBytes(json));

    private static string Numbers(int count) => string.Join(",", Enumerable.Range(0, count).Select(i => $"\"+1555{i:0000000}\""));

    [Fact]
    public void A_valid_broadcast_keeps_the_first_of_each_number_in_order()
    {
        var request = Assert.IsType<BroadcastRequest>(Parse("""{"to":["+15550000002","+15550000001","+15550000002"],"body":"hi","clientRef":"c1"}"""));

        Assert.Equal(["+15550000002", "+15550000001"], request.To);
        Assert.Equal("hi", request.Body);
        Assert.Equal("c1", request.ClientRef);
        Assert.Empty(request.Media);
    }

    [Fact]
    public void Ten_thousand_recipients_are_accepted_and_one_more_is_refused()
    {
        Assert.Equal(10_000, Assert.IsType<BroadcastRequest>(Parse($$"""{"to":[{{Numbers(10_000)}}],"body":"hi"}""")).To.Count);
        var refused = Assert.IsType<InvalidRequest>(Parse($$"""{"to":[{{Numbers(10_001)}}],"body":"hi"}"""));
        Assert.Equal(BroadcastErrorCodes.TooManyRecipients, refused.Code);
    }

    [Theory]
    [InlineData("""{"to":[],"body":"hi"}""", BroadcastErrorCodes.NoRecipients)]
    [InlineData("""{"to":"+15550000001","body":"hi"}""", ErrorCodes.InvalidField)]
    [InlineData("""{"to":["+15550000001","12345"],"body":"hi"}""", ErrorCodes.InvalidTo)]
    [InlineData("""{"to":["+15550000001",15550000002],"body":"hi"}""", ErrorCodes.InvalidTo)]
    [InlineData("""{"to":[null],"body":"hi"}""", ErrorCodes.InvalidTo)]
    [InlineData("""{"body":"hi"}""", ErrorCodes.MissingField)]
    [InlineData("""{"to":["+15550000001"]}""", ErrorCodes.MissingField)]
    [InlineData("""{"to":["+15550000001"],"body":""}""", ErrorCodes.EmptyBody)]
    [InlineData("""{"to":["+15550000001"],"body":"a\u0000b"}""", ErrorCodes.InvalidField)]
    [InlineData("""{"to":["+15550000001"],"body":"a\u202Eb"}""", ErrorCodes.InvalidField)]
    [InlineData("""{"to":["+15550000001"],"body":"hi","to":["+15550000002"]}""", ErrorCodes.DuplicateField)]
    [InlineData("""{"to":["+15550000001"],"body":"hi","clientRef":""}""", ErrorCodes.InvalidField)]
    [InlineData("""{"to":["+15550000001"],"body":"hi","media":["http://example.com/a.png"]}""", BroadcastErrorCodes.InvalidMedia)]
    [InlineData("""{"to":["+15550000001"],"body":"hi","media":"https://example.com/a.png"}""", BroadcastErrorCodes.InvalidMedia)]
    [InlineData("""{"to":["+15550000001"],"body":"hi","media":["javascript:alert(1)"]}""", BroadcastErrorCodes.InvalidMedia)]
    [InlineData("""[1,2]""", ErrorCodes.InvalidJson)]
    [InlineData("""{"to":[""", ErrorCodes.InvalidJson)]
    [InlineData("""{"to":[[[[[[[[[["+15550000001"]]]]]]]]]],"body":"hi"}""", ErrorCodes.InvalidJson)]
    public void Bad_input_is_refused_with_a_stable_code(string json, string code)
    {
        Assert.Equal(code, Assert.IsType<InvalidRequest>(Parse(json)).Code);
    }

    [Fact]
    public void A_body_over_the_sms_limit_is_refused()
    {
        var refused = Assert.IsType<InvalidRequest>(Parse($$"""{"to":["+15550000001"],"body":"{{new string('x', 1601)}}"}"""));
        Assert.Equal(ErrorCodes.BodyTooLong, refused.Code);
    }

    [Fact]
    public void Media_may_stand_without_a_body_and_at_most_ten_are_taken()
    {
        var request = Assert.IsType<BroadcastRequest>(Parse("""{"to":["+15550000001"],"body":"","media":["https://example.com/a.png"]}"""));
        Assert.Equal(["https://example.com/a.png"], request.Media);

        var eleven = string.Join(",", Enumerable.Repeat("\"https://example.com/a.png\"", 11));
        Assert.Equal(BroadcastErrorCodes.InvalidMedia, Assert.IsType<InvalidRequest>(Parse($$"""{"to":["+15550000001"],"body":"x","media":[{{eleven}}]}""")).Code);
        var longUrl = "https://example.com/" + new string('a', 2048);
        Assert.Equal(BroadcastErrorCodes.InvalidMedia, Assert.IsType<InvalidRequest>(Parse($$"""{"to":["+15550000001"],"body":"x","media":["{{longUrl}}"]}""")).Code);
    }

    [Fact]
    public void Invalid_utf8_is_refused()
    {
        Assert.Equal(ErrorCodes.InvalidJson, Assert.IsType<InvalidRequest>(BroadcastRequestParser.Parse([0x7B, 0xC3, 0x28, 0x7D])).Code);
    }
}
