using System.Text;
using MessagingServer.Broadcasts;
using MessagingServer.Domain.Broadcasts;
using MessagingServer.Persistence;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MessagingServer.Tests.Persistence;

/// <summary>
/// Everything a broadcast stores (its events, its snapshot, the index's records), as the host registers it: each under
/// its pinned manifest, and what version 1 wrote still reads and is what is written today.
/// </summary>
public sealed class StoredBroadcastTypesSpecs
{
    private static readonly DateTimeOffset At = new(2026, 11, 23, 18, 5, 31, 123, TimeSpan.FromHours(2));

    private static readonly BroadcastCreated Created = new("b-1", "u-1", "vote", ["https://m.example/1.jpg"], "c-1", 10_000, 5, At);

    // The host's own registrations, not a copy of them.
    private readonly StoredTypeRegistry _types = new ServiceCollection()
        .AddMessagingBroadcasts(new ConfigurationBuilder().Build())
        .BuildServiceProvider()
        .GetRequiredService<StoredTypeRegistry>();

    public static TheoryData<Type, string> Manifests => new()
    {
        { typeof(BroadcastCreated), "broadcast-created.v1" },
        { typeof(BroadcastRecipientsAdded), "broadcast-recipients.v1" },
        { typeof(BroadcastRecipientSettled), "broadcast-settled.v1" },
        { typeof(BroadcastCancelled), "broadcast-cancelled.v1" },
        { typeof(BroadcastClosed), "broadcast-closed.v1" },
        { typeof(BroadcastSnapshot), "broadcast-snapshot.v1" },
        { typeof(BroadcastIndexChanged), "broadcast-index-changed.v1" },
        { typeof(BroadcastIndexSnapshot), "broadcast-index-snapshot.v1" },
    };

    /// <summary>What version 1 writes, byte for byte. Data in the field looks like this: never edit a sample, add new ones.</summary>
    public static TheoryData<string, string, object> StoredV1Samples => new()
    {
        {
            "broadcast-created.v1",
            """{"id":"b-1","userId":"u-1","body":"vote","media":["https://m.example/1.jpg"],"clientRef":"c-1","total":10000,"parts":5,"at":"2026-11-23T18:05:31.123+02:00"}""",
            Created
        },
        {
            "broadcast-recipients.v1",
            """{"part":0,"numbers":["+15550001111","+15550002222"]}""",
            new BroadcastRecipientsAdded(0, ["+15550001111", "+15550002222"])
        },
        {
            "broadcast-settled.v1",
            """{"index":7,"outcome":"skipped","at":"2026-11-23T18:05:31.123+02:00"}""",
            new BroadcastRecipientSettled(7, BroadcastOutcome.Skipped, At)
        },
        {
            "broadcast-cancelled.v1",
            """{"inFlight":[3,4],"at":"2026-11-23T18:05:31.123+02:00"}""",
            new BroadcastCancelled([3, 4], At)
        },
        {
            "broadcast-closed.v1",
            """{"at":"2026-11-23T18:05:31.123+02:00"}""",
            new BroadcastClosed(At)
        },
        {
            "broadcast-snapshot.v1",
            """{"created":{"id":"b-1","userId":"u-1","body":"vote","media":["https://m.example/1.jpg"],"clientRef":"c-1","total":10000,"parts":5,"at":"2026-11-23T18:05:31.123+02:00"},"recipients":["+15550001111","+15550002222","+15550003333","+15550004444"],"outcomes":"s-fk","cancelled":true,"pendingAtCancel":[1],"closed":false}""",
            new BroadcastSnapshot(Created, ["+15550001111", "+15550002222", "+15550003333", "+15550004444"], "s-fk", true, [1], false)
        },
        {
            "broadcast-index-changed.v1",
            """{"userId":"u-1","broadcastId":"b-1","active":true}""",
            new BroadcastIndexChanged("u-1", "b-1", true)
        },
        {
            "broadcast-index-snapshot.v1",
            """{"active":[{"userId":"u-1","broadcastId":"b-1"}]}""",
            new BroadcastIndexSnapshot([new BroadcastIndexEntry("u-1", "b-1")])
        },
    };

    [Theory]
    [MemberData(nameof(Manifests))]
    public void Every_broadcast_type_has_its_stable_manifest(Type type, string manifest)
    {
        Assert.Equal(manifest, _types.ManifestFor(type));
        Assert.True(_types.TryGetType(manifest, out var registered));
        Assert.Equal(type, registered);
    }

    [Fact]
    public void Every_stored_broadcast_type_is_registered_and_pinned_above()
    {
        var stored = typeof(IBroadcastEvent).Assembly.GetTypes().Concat(typeof(BroadcastIndexChanged).Assembly.GetTypes())
            .Where(t => t.Namespace?.EndsWith(".Broadcasts", StringComparison.Ordinal) == true)
            .Where(t => typeof(MessagingServer.Domain.Messages.IStoredState).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false })
            .ToHashSet();

        Assert.Equal(Manifests.Select(m => (Type)m[0]).ToHashSet(), stored);
        Assert.Equal(stored.Count, StoredV1Samples.Select(s => s[0]).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(StoredV1Samples))]
    public void Data_stored_by_version_1_still_reads(string manifest, string json, object expected)
    {
        var read = _types.Deserialize(Encoding.UTF8.GetBytes(json), manifest);

        Assert.IsType(expected.GetType(), read);
        Assert.Equivalent(expected, read, strict: true);
    }

    [Theory]
    [MemberData(nameof(StoredV1Samples))]
    public void Version_1_is_what_is_written_today(string manifest, string json, object stored)
    {
        Assert.Equal(manifest, _types.ManifestFor(stored.GetType()));
        Assert.Equal(json, Encoding.UTF8.GetString(_types.Serialize(stored)));
    }

    [Fact]
    public void A_snapshot_missing_members_added_later_still_reads()
    {
        // The shape version 1 writes, without anything optional: a later version that adds members must still read it.
        var read = Assert.IsType<BroadcastSnapshot>(_types.Deserialize(Encoding.UTF8.GetBytes(
            """{"created":{"id":"b-1","userId":"u-1","body":"vote","media":[],"clientRef":null,"total":1,"parts":1,"at":"2026-11-23T18:05:31.123+02:00"},"recipients":["+15550001111"],"outcomes":"s","cancelled":false,"pendingAtCancel":[],"closed":true}"""),
            BroadcastSnapshot.Manifest));

        Assert.Equal(new BroadcastProgress("b-1", 1, 1, 0, 0, 0), BroadcastState.FromSnapshot(read).Progress);
    }
}
