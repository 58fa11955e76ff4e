using MessagingServer.TestSupport.Twilio;

namespace MessagingServer.Tests.Commands;

public sealed class SimulateSmsCommandSpecs
{
    [Fact]
    public void Reads_every_option_with_media_repeated()
    {
        var ok = SimulateSmsCommand.TryParse(
            ["simulate-sms", "--from", "+15550001111", "--to", "+15550002222", "--body", "hi there", "--url", "http://127.0.0.1:9000",
                "--media", "https://m.test/a.jpg", "--media", "https://m.test/b.jpg"],
            out var sms, out _);

        Assert.True(ok);
        Assert.Equal(("+15550001111", "+15550002222", "hi there", "http://127.0.0.1:9000"), (sms.From, sms.To, sms.Body, sms.Url));
        Assert.Equal(["https://m.test/a.jpg", "https://m.test/b.jpg"], sms.Media);
    }

    [Fact]
    public void The_url_defaults_to_the_local_server()
    {
        Assert.True(SimulateSmsCommand.TryParse(["--from", "+1", "--to", "+2", "--body", "x"], out var sms, out _));
        Assert.Equal("http://localhost:8080", sms.Url);
    }

    [Theory]
    [InlineData(new[] { "--to", "+2", "--body", "x" }, "--from")]
    [InlineData(new[] { "--from", "+1", "--to", "+2" }, "--body")]
    [InlineData(new[] { "--from", "+1", "--to", "+2", "--body" }, "needs a value")]
    [InlineData(new[] { "--from", "+1", "--to", "+2", "--body", "x", "--colour", "red" }, "unknown option")]
    public void Bad_arguments_are_explained(string[] args, string expected)
    {
        Assert.False(SimulateSmsCommand.TryParse(args, out _, out var problem));
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void The_inbound_form_carries_what_the_server_reads()
    {
        var form = SimulateSmsCommand.InboundForm(
            "AC0123456789abcdef0123456789abcdef",
            new SimulateSmsCommand.SimulatedSms("+1", "+2", "hi", ["https://m.test/a.jpg"], "http://localhost:8080"))
            .ToDictionary(f => f.Key, f => f.Value);

        Assert.Equal("AC0123456789abcdef0123456789abcdef", form["AccountSid"]);
        Assert.Equal(("+1", "+2", "hi", "1", "https://m.test/a.jpg"), (form["From"], form["To"], form["Body"], form["NumMedia"], form["MediaUrl0"]));
        Assert.Matches("^SM[0-9a-f]{32}$", form["MessageSid"]);
    }
}
