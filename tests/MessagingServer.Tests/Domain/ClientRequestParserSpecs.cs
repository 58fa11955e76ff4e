using System.Text;
using MessagingServer.Domain.Protocol;

namespace MessagingServer.Tests.Domain;

public sealed class ClientRequestParserSpecs
{
    private static ClientRequest Parse(string json) => ClientRequestParser.Parse(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void A_send_with_every_field_is_parsed()
    {
        var request = Assert.IsType<SendRequest>(Parse("""{"type":"send","to":"+15550001111","body":"hi ✓","clientRef":"r1","extra":{"ignored":[1,2]}}"""));

        Assert.Equal("+15550001111", request.To.Value);
        Assert.Equal("hi ✓", request.Body);
        Assert.Equal("r1", request.ClientRef);
    }

    [Fact]
    public void Ack_and_ping_are_parsed()
    {
        Assert.Equal(new AckRequest(42), Parse("""{"type":"ack","seq":42}"""));
        Assert.Same(PingRequest.Instance, Parse("""{"type":"ping"}"""));
    }

    [Theory]
    [InlineData("", ErrorCodes.InvalidJson)]
    [InlineData("null", ErrorCodes.InvalidJson)]
    [InlineData("\"send\"", ErrorCodes.InvalidJson)]
    [InlineData("{\"type\":\"send\"", ErrorCodes.InvalidJson)]
    [InlineData("{\"type\":\"ping\"} trailing", ErrorCodes.InvalidJson)]
    [InlineData("{\"type\":7}", ErrorCodes.InvalidField)]
    [InlineData("{\"type\":\"ping\",\"type\":\"ping\"}", ErrorCodes.DuplicateField)]
    [InlineData("{\"type\":\"send\",\"to\":\"+15550001111\",\"body\":\"x\",\"clientRef\":5}", ErrorCodes.InvalidField)]
    [InlineData("{\"type\":\"send\",\"to\":\"+15550001111\",\"body\":\"x\",\"clientRef\":\"\"}", ErrorCodes.InvalidField)]
    [InlineData("{\"type\":\"send\",\"to\":\"+1555000111a\",\"body\":\"x\"}", ErrorCodes.InvalidTo)]
    [InlineData("{\"type\":\"send\",\"to\":[],\"body\":\"x\"}", ErrorCodes.InvalidField)]
    [InlineData("{\"type\":\"send\",\"to\":15550001111,\"body\":\"x\"}", ErrorCodes.InvalidField)]
    [InlineData("{\"type\":\"send\",\"to\":null,\"body\":\"x\"}", ErrorCodes.InvalidField)]
    [InlineData("{\"type\":\"send\",\"to\":\"+15550001111\",\"body\":\"\\u200B\\u200B \\u2060\\uFEFF\\u200F\"}", ErrorCodes.EmptyBody)]
    [InlineData("{\"type\":\"send\",\"to\":\"+15550001111\",\"body\":\"\\u0000\"}", ErrorCodes.InvalidField)]
    [InlineData("{\"type\":\"send\",\"to\":\"+15550001111\",\"body\":\"hi\\u0007\"}", ErrorCodes.InvalidField)]
    [InlineData("{\"type\":\"send\",\"to\":\"+15550001111\",\"body\":\"hi \\u202Eevil\"}", ErrorCodes.InvalidField)]
    [InlineData("{\"type\":\"ack\",\"seq\":-1}", ErrorCodes.InvalidField)]
    [InlineData("{\"type\":\"ack\",\"seq\":\"5\"}", ErrorCodes.InvalidField)]
    [InlineData("{\"type\":\"ack\",\"seq\":1e99}", ErrorCodes.InvalidField)]
    [InlineData("{\"type\":\"ack\",\"seq\":1.5}", ErrorCodes.InvalidField)]
    [InlineData("{\"type\":\"SEND\"}", ErrorCodes.UnknownType)]
    public void Bad_frames_become_errors_with_stable_codes(string json, string code)
    {
        var invalid = Assert.IsType<InvalidRequest>(Parse(json));

        Assert.Equal(code, invalid.Code);
        Assert.False(string.IsNullOrWhiteSpace(invalid.Message));
    }

    [Fact]
    public void Hostile_nesting_is_refused_without_throwing()
    {
        var deep = "{\"type\":\"ping\",\"x\":" + new string('[', 5000) + new string(']', 5000) + "}";

        Assert.Equal(ErrorCodes.InvalidJson, Assert.IsType<InvalidRequest>(Parse(deep)).Code);
    }

    [Fact]
    public void Invalid_utf8_is_refused_without_throwing()
    {
        var bytes = new byte[] { (byte)'{', (byte)'"', 0xff, 0xfe, (byte)'"', (byte)':', (byte)'1', (byte)'}' };

        Assert.Equal(ErrorCodes.InvalidJson, Assert.IsType<InvalidRequest>(ClientRequestParser.Parse(bytes)).Code);
    }

    [Fact]
    public void A_body_of_exactly_1600_characters_is_accepted_and_1601_is_not()
    {
        Assert.IsType<SendRequest>(Parse($$"""{"type":"send","to":"+15550001111","body":"{{new string('a', 1600)}}"}"""));
        var tooLong = Assert.IsType<InvalidRequest>(Parse($$"""{"type":"send","to":"+15550001111","body":"{{new string('a', 1601)}}","clientRef":"k"}"""));
        Assert.Equal(ErrorCodes.BodyTooLong, tooLong.Code);
        Assert.Equal("k", tooLong.ClientRef);
    }

    [Fact]
    public void An_unknown_type_keeps_the_client_ref_so_the_app_can_match_the_error()
    {
        var invalid = Assert.IsType<InvalidRequest>(Parse("""{"clientRef":"abc","type":"sned"}"""));

        Assert.Equal(ErrorCodes.UnknownType, invalid.Code);
        Assert.Equal("abc", invalid.ClientRef);
    }
}
