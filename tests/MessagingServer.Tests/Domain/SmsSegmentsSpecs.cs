using MessagingServer.Domain.Messages;

namespace MessagingServer.Tests.Domain;

public sealed class SmsSegmentsSpecs
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(160, 1)]
    [InlineData(161, 2)]
    [InlineData(306, 2)]
    [InlineData(307, 3)]
    [InlineData(1600, 11)]
    public void Plain_text_is_gsm7_at_160_then_153_per_segment(int length, int segments)
    {
        var info = SmsSegments.Measure(new string('a', length));

        Assert.Equal(SmsSegments.Gsm7, info.Encoding);
        Assert.Equal(segments, info.Segments);
    }

    [Fact]
    public void Extension_characters_count_twice_in_gsm7()
    {
        Assert.Equal(new SegmentInfo(SmsSegments.Gsm7, 1, 160), SmsSegments.Measure(new string('€', 80)));
        Assert.Equal(new SegmentInfo(SmsSegments.Gsm7, 2, 162), SmsSegments.Measure(new string('€', 81)));
        Assert.Equal(SmsSegments.Gsm7, SmsSegments.Measure("Price: 5€ [special] {ok} ~^|\\").Encoding);
    }

    [Theory]
    [InlineData(70, 1)]
    [InlineData(71, 2)]
    [InlineData(134, 2)]
    [InlineData(135, 3)]
    public void Text_outside_gsm7_is_ucs2_at_70_then_67_per_segment(int length, int segments)
    {
        var info = SmsSegments.Measure(new string('ж', length));

        Assert.Equal(SmsSegments.Ucs2, info.Encoding);
        Assert.Equal(segments, info.Segments);
    }

    [Fact]
    public void An_emoji_makes_the_message_ucs2_and_takes_two_units()
    {
        Assert.Equal(new SegmentInfo(SmsSegments.Ucs2, 1, 70), SmsSegments.Measure(string.Concat(Enumerable.Repeat("😀", 35))));
        Assert.Equal(new SegmentInfo(SmsSegments.Ucs2, 2, 72), SmsSegments.Measure(string.Concat(Enumerable.Repeat("😀", 36))));
        Assert.Equal(SmsSegments.Ucs2, SmsSegments.Measure("hello 👋").Encoding);
    }

    [Fact]
    public void Gsm7_accented_letters_stay_gsm7_but_others_do_not()
    {
        Assert.Equal(SmsSegments.Gsm7, SmsSegments.Measure("àéùìò ÄÖÑÜ").Encoding);
        Assert.Equal(SmsSegments.Ucs2, SmsSegments.Measure("ç is gsm but â is not").Encoding);
    }
}
