using System.Runtime.Serialization;
using System.Text;
using Akka.Actor;
using MessagingServer.Domain.Messages;
using MessagingServer.Persistence;

namespace MessagingServer.Tests.Persistence;

public sealed class StoredJsonSerializerSpecs : Akka.TestKit.Xunit2.TestKit
{
    private static readonly DateTimeOffset At = new(2026, 11, 23, 18, 5, 31, 123, TimeSpan.FromHours(2));

    // A registry of this test's own: what a test registers never reaches another test (or another host).
    private readonly StoredTypeRegistry _types = new();
    private readonly StoredJsonSerializer _serializer;

    public StoredJsonSerializerSpecs() => _serializer = new StoredJsonSerializer((ExtendedActorSystem)Sys, _types);

    public static TheoryData<ISessionEvent> Events => new()
    {
        new OutboundAccepted(1, "m-1", "ref-1", "+15550000000", "+15550001111", "Hello", At, MessageStatus.Queued, SmsSegments.Gsm7, 1),
        new OutboundAccepted(2, "m-2", null, "+15550000000", "+15550001111", "Grüße 👋 — 你好", At, MessageStatus.Sent, SmsSegments.Ucs2, 1),
        new OutboundAccepted(3, "m-3", null, "+15550000000", "+15550001111", new string('x', 1_000_000), At, MessageStatus.Failed, SmsSegments.Gsm7, 6536),
        new OutboundStatusChanged(4, "m-1", MessageStatus.Delivered, null, At),
        new OutboundStatusChanged(5, "m-2", MessageStatus.Undelivered, new ProviderError("30003", "Unreachable \"handset\"\n"), At, "SM123"),
        new InboundReceived(6, "m-4", "+15550001111", "+15550000000", "Photo", ["https://media.example/1.jpg", "https://media.example/2.png"], At, "SM456"),
        new InboundReceived(7, "m-5", "+15550001111", "+15550000000", "", [], At, null),
        new DispatchStarted("m-1", At),
        new DispatchAccepted("m-1", "SM789", MessageStatus.Queued, At),
        new CursorAcked(long.MaxValue),
        new ClientOptedOut("+15550000000", "+15550001111", At),
        new ClientOptedIn("+15550000000", "+15550001111", At),
        new ReconcileStarted("m-1", new ProviderError("timeout", "no answer"), At),
        new BroadcastProgressed(8, "b-1", 10_000, 4_000, 1, 2, 0, At),
    };

    public static TheoryData<Type, string> Manifests => new()
    {
        { typeof(OutboundAccepted), "outbound.v1" },
        { typeof(OutboundStatusChanged), "status.v1" },
        { typeof(InboundReceived), "inbound.v1" },
        { typeof(DispatchStarted), "dispatch.v1" },
        { typeof(DispatchAccepted), "dispatch-accepted.v1" },
        { typeof(CursorAcked), "ack.v1" },
        { typeof(ClientOptedOut), "optout.v1" },
        { typeof(ClientOptedIn), "optin.v1" },
        { typeof(ReconcileStarted), "reconcile-started.v1" },
        { typeof(BroadcastProgressed), "broadcast.v1" },
    };

    /// <summary>
    /// What version 1 writes, byte for byte (non-ASCII text as is, except characters outside the BMP, which JSON
    /// escapes as surrogate pairs). Data in the field looks like this: never edit a sample, add new ones.
    /// </summary>
    public static TheoryData<string, string, ISessionEvent> StoredV1Samples => new()
    {
        {
            "outbound.v1",
            """{"seq":1,"id":"m-1","clientRef":"ref-1","from":"+15550000000","to":"+15550001111","body":"Grüße \uD83D\uDC4B","at":"2026-11-23T18:05:31.123+02:00","status":"queued","encoding":"UCS-2","segments":1}""",
            new OutboundAccepted(1, "m-1", "ref-1", "+15550000000", "+15550001111", "Grüße 👋", At, MessageStatus.Queued, SmsSegments.Ucs2, 1)
        },
        {
            "status.v1",
            """{"seq":5,"id":"m-2","status":"undelivered","error":{"code":"30003","message":"Unreachable"},"at":"2026-11-23T18:05:31.123+02:00","providerSid":"SM123"}""",
            new OutboundStatusChanged(5, "m-2", MessageStatus.Undelivered, new ProviderError("30003", "Unreachable"), At, "SM123")
        },
        {
            "status.v1",
            """{"seq":4,"id":"m-1","status":"delivered","error":null,"at":"2026-11-23T18:05:31.123+02:00","providerSid":null}""",
            new OutboundStatusChanged(4, "m-1", MessageStatus.Delivered, null, At)
        },
        {
            "inbound.v1",
            """{"seq":6,"id":"m-4","from":"+15550001111","to":"+15550000000","body":"Photo","media":["https://media.example/1.jpg"],"at":"2026-11-23T18:05:31.123+02:00","providerSid":"SM456"}""",
            new InboundReceived(6, "m-4", "+15550001111", "+15550000000", "Photo", ["https://media.example/1.jpg"], At, "SM456")
        },
        {
            "dispatch.v1",
            """{"id":"m-1","at":"2026-11-23T18:05:31.123+02:00"}""",
            new DispatchStarted("m-1", At)
        },
        {
            "dispatch-accepted.v1",
            """{"id":"m-1","providerSid":"SM789","status":"queued","at":"2026-11-23T18:05:31.123+02:00"}""",
            new DispatchAccepted("m-1", "SM789", MessageStatus.Queued, At)
        },
        {
            "ack.v1",
            """{"seq":42}""",
            new CursorAcked(42)
        },
        {
            "optout.v1",
            """{"sender":"+15550000000","client":"+15550001111","at":"2026-11-23T18:05:31.123+02:00"}""",
            new ClientOptedOut("+15550000000", "+15550001111", At)
        },
        {
            "optin.v1",
            """{"sender":"+15550000000","client":"+15550001111","at":"2026-11-23T18:05:31.123+02:00"}""",
            new ClientOptedIn("+15550000000", "+15550001111", At)
        },
        {
            "reconcile-started.v1",
            """{"id":"m-1","reason":{"code":"timeout","message":"no answer"},"at":"2026-11-23T18:05:31.123+02:00"}""",
            new ReconcileStarted("m-1", new ProviderError("timeout", "no answer"), At)
        },
        {
            "broadcast.v1",
            """{"seq":8,"id":"b-1","total":10000,"sent":4000,"failed":1,"skipped":2,"cancelled":0,"at":"2026-11-23T18:05:31.123+02:00"}""",
            new BroadcastProgressed(8, "b-1", 10_000, 4_000, 1, 2, 0, At)
        },
    };

    [Theory]
    [MemberData(nameof(Events))]
    public void Every_event_type_round_trips(ISessionEvent stored)
    {
        var manifest = _serializer.Manifest(stored);
        var bytes = _serializer.ToBinary(stored);

        var read = _serializer.FromBinary(bytes, manifest);

        Assert.IsType(stored.GetType(), read);
        Assert.Equivalent(stored, read, strict: true);
    }

    [Theory]
    [MemberData(nameof(Manifests))]
    public void Every_event_type_has_its_stable_manifest(Type type, string manifest)
    {
        Assert.Equal(manifest, _types.ManifestFor(type));
        Assert.True(_types.TryGetType(manifest, out var registered));
        Assert.Equal(type, registered);
    }

    [Fact]
    public void Every_session_event_type_is_registered_and_has_its_manifest_pinned_above()
    {
        var eventTypes = typeof(ISessionEvent).Assembly.GetTypes()
            .Where(t => typeof(ISessionEvent).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false })
            .ToHashSet();

        // A new event type fails here until it is registered and its manifest is pinned in Manifests.
        Assert.Equal(Manifests.Select(m => (Type)m[0]).ToHashSet(), eventTypes);
        Assert.All(eventTypes, t => Assert.True(_types.TryGetType(_types.ManifestFor(t), out var read) && read == t, $"{t} does not read back as itself"));
        Assert.Equal(eventTypes.Count, eventTypes.Select(_types.ManifestFor).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void A_new_registry_knows_the_session_events_and_nothing_registered_elsewhere()
    {
        var elsewhere = new StoredTypeRegistry();
        elsewhere.Register<SampleSnapshot>("test-elsewhere.v1");

        Assert.Equal(Manifests.Select(m => (string)m[1]).Order(StringComparer.Ordinal), new StoredTypeRegistry().Manifests.Order(StringComparer.Ordinal));
        Assert.Throws<SerializationException>(() => _serializer.Manifest(new SampleSnapshot(1, new Dictionary<string, MessageStatus>(), [])));
        Assert.Throws<SerializationException>(() => _serializer.FromBinary("{}"u8.ToArray(), "test-elsewhere.v1"));
    }

    [Theory]
    [MemberData(nameof(StoredV1Samples))]
    public void Data_stored_by_version_1_still_reads(string manifest, string json, ISessionEvent expected)
    {
        var read = _serializer.FromBinary(Encoding.UTF8.GetBytes(json), manifest);

        Assert.IsType(expected.GetType(), read);
        Assert.Equivalent(expected, read, strict: true);
    }

    [Theory]
    [MemberData(nameof(StoredV1Samples))]
    public void Version_1_is_what_is_written_today(string manifest, string json, ISessionEvent stored)
    {
        Assert.Equal(manifest, _serializer.Manifest(stored));
        Assert.Equal(json, Encoding.UTF8.GetString(_serializer.ToBinary(stored)));
    }

    [Fact]
    public void An_optional_member_missing_from_old_data_reads_as_its_default()
    {
        const string json = """{"seq":4,"id":"m-1","status":"sent","at":"2026-11-23T18:05:31.123+02:00"}""";

        var read = Assert.IsType<OutboundStatusChanged>(_serializer.FromBinary(Encoding.UTF8.GetBytes(json), StoredTypes.Status));

        Assert.Null(read.Error);
        Assert.Null(read.ProviderSid);
    }

    [Fact]
    public void Serializer_has_its_fixed_identifier()
    {
        Assert.Equal(4711, _serializer.Identifier);
    }

    [Fact]
    public void An_unknown_manifest_is_a_clear_serialization_error()
    {
        var error = Assert.Throws<SerializationException>(() => _serializer.FromBinary("{}"u8.ToArray(), "outbound.v99"));

        Assert.Contains("outbound.v99", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_json_is_a_serialization_error_that_names_the_manifest()
    {
        var error = Assert.Throws<SerializationException>(() => _serializer.FromBinary("{\"seq\":"u8.ToArray(), StoredTypes.Ack));

        Assert.Contains(StoredTypes.Ack, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unregistered_stored_type_is_refused_before_it_is_written()
    {
        var error = Assert.Throws<SerializationException>(() => _serializer.Manifest(new UnregisteredState(1)));

        Assert.Contains(nameof(UnregisteredState), error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(StoredTypeServices.AddStoredType), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_registered_snapshot_type_round_trips()
    {
        _types.Register<SampleSnapshot>("test-sample-snapshot.v1");
        var snapshot = new SampleSnapshot(
            7, new Dictionary<string, MessageStatus> { ["m-1"] = MessageStatus.Delivered }, ["+15550001111"]);

        var manifest = _serializer.Manifest(snapshot);
        var bytes = _serializer.ToBinary(snapshot);
        var read = _serializer.FromBinary(bytes, manifest);

        Assert.Equal("test-sample-snapshot.v1", manifest);
        Assert.Contains("\"delivered\"", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        Assert.Equivalent(snapshot, read, strict: true);
    }

    [Fact]
    public void Registering_the_same_type_twice_is_harmless_but_a_conflict_is_refused()
    {
        _types.Register<ConflictState>("test-conflict.v1");
        _types.Register<ConflictState>("test-conflict.v1");

        Assert.Throws<InvalidOperationException>(() => _types.Register<ConflictState>("test-conflict.v2"));
        Assert.Throws<InvalidOperationException>(() => _types.Register<OtherState>("test-conflict.v1"));
        Assert.Throws<InvalidOperationException>(() => _types.Register<OtherState>(StoredTypes.Outbound));
    }

    [Fact]
    public void Only_types_bound_to_the_serializer_can_be_registered()
    {
        Assert.Throws<ArgumentException>(() => _types.Register<string>("test-string.v1"));
        Assert.Throws<ArgumentException>(() => _types.Register<OtherState>("has space.v1"));
    }

    [Fact]
    public void An_old_manifest_can_still_be_read_after_its_type_moved_on()
    {
        _types.RegisterReadOnly("test-ack.v0", bytes => new CursorAcked(long.Parse(Encoding.UTF8.GetString(bytes), System.Globalization.CultureInfo.InvariantCulture)));

        var read = _serializer.FromBinary("17"u8.ToArray(), "test-ack.v0");

        Assert.Equal(new CursorAcked(17), read);
        Assert.False(_types.TryGetType("test-ack.v0", out _));
    }

    public sealed record SampleSnapshot(long Seq, IReadOnlyDictionary<string, MessageStatus> Statuses, IReadOnlyList<string> OptedOut) : IStoredState;

    public sealed record UnregisteredState(int Value) : IStoredState;

    public sealed record ConflictState(int Value) : IStoredState;

    public sealed record OtherState(int Value) : IStoredState;
}
