using MessagingServer.Observability;

namespace MessagingServer.Tests.Observability;

public sealed class PhoneNumberMaskSpecs
{
    [Theory]
    [InlineData("The 'To' number +15551234567 is not a valid phone number.", "The 'To' number +*********67 is not a valid phone number.")]
    [InlineData("Attempt to send to unsubscribed recipient 15551234567", "Attempt to send to unsubscribed recipient *********67")]
    [InlineData("call (555) 123-4567 now", "call (***) ***-**67 now")]
    [InlineData("+44 20 7946 0958 and +33.1.23.45.67.89", "+** ** **** **58 and +**.*.**.**.**.89")]
    public void Phone_numbers_keep_only_their_last_two_digits(string text, string masked) =>
        Assert.Equal(masked, PhoneNumberMask.Mask(text));

    [Theory]
    [InlineData("Twilio error 21610 (HTTP 400) in 2026")]
    [InlineData("https://www.twilio.com/docs/errors/21211")]
    [InlineData("retry in 30 s, 123456 left")]
    [InlineData("")]
    public void Error_codes_years_and_short_numbers_are_left_alone(string text) =>
        Assert.Equal(text, PhoneNumberMask.Mask(text));

    [Fact]
    public void Null_is_empty() => Assert.Equal("", PhoneNumberMask.Mask(null));

    [Fact]
    public void A_huge_text_is_cut_and_masked_without_running_away()
    {
        var text = "number " + string.Concat(Enumerable.Repeat("1-", 50_000)) + "9";

        var masked = PhoneNumberMask.Mask(text);

        Assert.True(masked.Length <= PhoneNumberMask.MaxLength + 1);
        Assert.StartsWith("number", masked, StringComparison.Ordinal);
        Assert.DoesNotContain("1-1", masked, StringComparison.Ordinal);
    }
}
