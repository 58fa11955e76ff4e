using MessagingServer.Security;

namespace MessagingServer.Tests.Security;

public sealed class TokenRedactingEnricherSpecs
{
    private const string Token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl";

    [Theory]
    [InlineData("?access_token=" + Token, "?access_token=[redacted]")]
    [InlineData("?since=4&access_token=secret&x=1", "?since=4&access_token=[redacted]&x=1")]
    [InlineData("?ACCESS_TOKEN=secret", "?ACCESS_TOKEN=[redacted]")]
    [InlineData("?access%5Ftoken=secret", "?access%5Ftoken=[redacted]")]
    [InlineData("http://h/message/alice?access_token=secret#f", "http://h/message/alice?access_token=[redacted]#f")]
    [InlineData("Bearer " + Token, "Bearer [redacted]")]
    public void Tokens_are_blanked(string text, string expected) =>
        Assert.Equal(expected, TokenRedactingEnricher.Redact(text));

    [Theory]
    [InlineData("?since=4&limit=10")]
    [InlineData("GET /api/users/alice/messages")]
    [InlineData("a=b")]
    public void Other_text_is_left_as_it_is(string text) =>
        Assert.Same(text, TokenRedactingEnricher.Redact(text));
}
