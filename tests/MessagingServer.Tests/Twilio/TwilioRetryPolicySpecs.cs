using MessagingServer.Twilio;

namespace MessagingServer.Tests.Twilio;

public sealed class TwilioRetryPolicySpecs
{
    private static readonly TimeSpan Base = TimeSpan.FromSeconds(1);

    [Fact]
    public void Retry_after_is_honoured_as_given() =>
        Assert.Equal(TimeSpan.FromSeconds(7), TwilioRetryPolicy.NextDelay(1, Base, TimeSpan.FromSeconds(7), jitter: 0.9));

    [Fact]
    public void A_retry_after_in_the_past_means_now() =>
        Assert.Equal(TimeSpan.Zero, TwilioRetryPolicy.NextDelay(2, Base, TimeSpan.FromSeconds(-3), jitter: 0.5));

    [Theory]
    [InlineData(1, 500, 1000)]
    [InlineData(2, 1000, 2000)]
    [InlineData(3, 2000, 4000)]
    public void Without_retry_after_the_wait_doubles_with_jitter_between_half_and_all(int retry, int lowestMs, int highestMs)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(lowestMs), TwilioRetryPolicy.NextDelay(retry, Base, null, jitter: 0));
        Assert.Equal(TimeSpan.FromMilliseconds(highestMs), TwilioRetryPolicy.NextDelay(retry, Base, null, jitter: 1));
        var middle = TwilioRetryPolicy.NextDelay(retry, Base, null, jitter: 0.5);
        Assert.InRange(middle, TimeSpan.FromMilliseconds(lowestMs), TimeSpan.FromMilliseconds(highestMs));
    }
}
