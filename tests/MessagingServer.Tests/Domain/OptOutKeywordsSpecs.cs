using MessagingServer.Domain.Messages;

namespace MessagingServer.Tests.Domain;

public sealed class OptOutKeywordsSpecs
{
    [Theory]
    [InlineData("STOP")]
    [InlineData("stop")]
    [InlineData("Stop")]
    [InlineData("STOPALL")]
    [InlineData("unsubscribe")]
    [InlineData("Cancel")]
    [InlineData("END")]
    [InlineData("quit")]
    [InlineData("  stop  ")]
    [InlineData("\tSTOP\r\n")]
    [InlineData("Stop!")]
    [InlineData("stop.")]
    [InlineData("STOP!!! ")]
    [InlineData("stop ?")]
    public void Stop_words_alone_are_opt_outs(string body) =>
        Assert.Equal(OptOutIntent.OptOut, OptOutKeywords.Classify(body));

    [Theory]
    [InlineData("START")]
    [InlineData("yes")]
    [InlineData("Unstop")]
    [InlineData(" Yes! ")]
    public void Start_words_alone_are_opt_ins(string body) =>
        Assert.Equal(OptOutIntent.OptIn, OptOutKeywords.Classify(body));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("!!!")]
    [InlineData("please stop")]
    [InlineData("stop it")]
    [InlineData("STOP STOP")]
    [InlineData("stopping")]
    [InlineData("unstoppable")]
    [InlineData("yes please")]
    [InlineData("¡stop")]
    [InlineData("Hello, see you at the end")]
    public void Anything_else_is_an_ordinary_message(string? body) =>
        Assert.Equal(OptOutIntent.None, OptOutKeywords.Classify(body));
}
