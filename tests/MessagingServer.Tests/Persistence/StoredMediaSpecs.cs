using System.Text;
using Akka.Actor;
using MessagingServer.Domain.Messages;
using MessagingServer.Persistence;

namespace MessagingServer.Tests.Persistence;

/// <summary>
/// <c>OutboundAccepted.Media</c> is an optional member: rows stored before MMS still load (without media), a plain SMS
/// is still written byte for byte as before, and an MMS keeps its URLs.
/// </summary>
public sealed class StoredMediaSpecs : Akka.TestKit.Xunit2.TestKit
{
    private static readonly DateTimeOffset At = new(2026, 11, 23, 18, 5, 31, 123, TimeSpan.FromHours(2));
    private const string RowBeforeMms =
        """{"seq":1,"id":"m-1","clientRef":"ref-1","from":"+15550000000","to":"+15550001111","body":"Hello","at":"2026-11-23T18:05:31.123+02:00","status":"queued","encoding":"GSM-7","segments":1}""";

    private readonly StoredJsonSerializer _serializer;

    public StoredMediaSpecs() => _serializer = new StoredJsonSerializer((ExtendedActorSystem)Sys, new StoredTypeRegistry());

    [Fact]
    public void A_row_stored_before_mms_loads_without_media_and_is_written_back_the_same()
    {
        var read = Assert.IsType<OutboundAccepted>(_serializer.FromBinary(Encoding.UTF8.GetBytes(RowBeforeMms), "outbound.v1"));

        Assert.Null(read.Media);
        Assert.Equal("Hello", read.Body);
        Assert.Equal(RowBeforeMms, Encoding.UTF8.GetString(_serializer.ToBinary(read)));
    }

    [Fact]
    public void An_mms_round_trips_with_its_media()
    {
        var mms = new OutboundAccepted(2, "m-2", null, "+15550000000", "+15550001111", "", At, MessageStatus.Queued, SmsSegments.Gsm7, 1,
            ["https://cdn.example.com/a.jpg", "https://cdn.example.com/b%20c.png"]);

        var bytes = _serializer.ToBinary(mms);
        var read = Assert.IsType<OutboundAccepted>(_serializer.FromBinary(bytes, _serializer.Manifest(mms)));

        Assert.Contains("\"media\":[\"https://cdn.example.com/a.jpg\",", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        Assert.Equal(mms.Media, read.Media);
        Assert.Equivalent(mms, read, strict: true);
    }
}
