using System.Text.Json;
using System.Text.Json.Serialization;
using Akka.Actor;
using Akka.Persistence;
using Akka.Serialization;

namespace MessagingServer.Bench.Baselines.Journal;

/// <summary>Stores its share of events with a fixed number of writes in flight, then answers <see cref="Done"/>.</summary>
internal sealed class JournalWriter : ReceivePersistentActor
{
    private readonly JournalProgress _progress;
    private int _total;
    private int _issued;
    private int _stored;
    private IActorRef _replyTo = ActorRefs.Nobody;

    public JournalWriter(string persistenceId, JournalProgress progress)
    {
        PersistenceId = persistenceId;
        _progress = progress;
        Recover<BenchEvent>(_ => { });
        Command<Ready>(_ => Sender.Tell(Ready.Instance));
        Command<Start>(start =>
        {
            _total = start.Events;
            _replyTo = Sender;
            if (_total == 0)
            {
                _replyTo.Tell(Done.Instance);
                return;
            }

            for (var i = 0; i < start.Window; i++)
            {
                PersistNext();
            }
        });
    }

    public override string PersistenceId { get; }

    private void PersistNext()
    {
        if (_issued >= _total)
        {
            return;
        }

        _issued++;
        PersistAsync(BenchEvent.Sample(_issued), _ =>
        {
            _stored++;
            _progress.Add();
            if (_stored == _total)
            {
                _replyTo.Tell(Done.Instance);
            }
            else
            {
                PersistNext();
            }
        });
    }

    public sealed class Ready
    {
        public static readonly Ready Instance = new();

        private Ready()
        {
        }
    }

    public sealed record Start(int Events, int Window);

    public sealed class Done
    {
        public static readonly Done Instance = new();

        private Done()
        {
        }
    }
}

/// <summary>Shaped like the server's stored <c>OutboundAccepted</c>, so rows are of a similar size.</summary>
public sealed record BenchEvent(long Seq, string Id, string? ClientRef, string From, string To, string Body, DateTimeOffset At, string Status, string Encoding, int Segments)
{
    public static BenchEvent Sample(long seq) => new(
        seq, "m" + Guid.CreateVersion7().ToString("N"), "c" + seq.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "+15550000000", "+15550001111", "A journal write test message of ordinary length.", DateTimeOffset.UtcNow, "queued", "GSM-7", 1);
}

/// <summary>System.Text.Json for <see cref="BenchEvent"/>, as the server stores its events.</summary>
public sealed class BenchEventSerializer(ExtendedActorSystem system) : Serializer(system)
{
    public override int Identifier => 9901;

    public override bool IncludeManifest => false;

    public override byte[] ToBinary(object obj) => JsonSerializer.SerializeToUtf8Bytes((BenchEvent)obj, JournalJson.Default.BenchEvent);

    public override object FromBinary(byte[] bytes, Type type) =>
        JsonSerializer.Deserialize(bytes, JournalJson.Default.BenchEvent) ?? throw new System.Runtime.Serialization.SerializationException("empty event");
}

[JsonSerializable(typeof(BenchEvent))]
[JsonSerializable(typeof(JournalResult))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class JournalJson : JsonSerializerContext;
