using System.Collections.Concurrent;
using System.Globalization;
using Akka.Actor;
using MessagingServer.Broadcasts;
using MessagingServer.Domain.Broadcasts;
using MessagingServer.Domain.Protocol;
using MessagingServer.EndToEnd.Infrastructure;
using MessagingServer.EndToEnd.Persistence;
using MessagingServer.Sessions;
using Microsoft.Data.Sqlite;
using static MessagingServer.Broadcasts.BroadcastCommands;

namespace MessagingServer.EndToEnd.Broadcasts;

/// <summary>
/// A broadcast's snapshots on the server's real SQLite journal and snapshot store, the broadcast actor on its own
/// (started beside the server's, talking to a stand-in session): recovery from the newest snapshot and the events
/// after it, and from a journal written before snapshots existed (events only).
/// </summary>
public sealed class BroadcastSnapshotRecoverySpecs : IAsyncLifetime
{
    private const string User = "bc-snap";
    private const int Recipients = 40;

    /// <summary>The stand-in session stores the first 25 sends only (the rest are "unavailable", asked again much later).</summary>
    private const int StoredBeforeStop = 25;

    /// <summary>The creation (2 events), a settled event per recipient, the close.</summary>
    private const long FinalSeq = 2 + Recipients + 1;

    private readonly string _folder = TestFolders.Create("broadcast-snapshots");
    private RunningServer _server = null!;

    private string DatabasePath => Path.Combine(_folder, "messaging.db");

    public async Task InitializeAsync() =>
        _server = await RunningServer.StartAsync(new Dictionary<string, string?> { ["Persistence:SqlitePath"] = DatabasePath });

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        TestFolders.Delete(_folder);
    }

    [Fact]
    public async Task A_broadcast_recovers_from_its_newest_snapshot_and_the_events_after_it_and_carries_on()
    {
        const string id = "b00000000000000000000000000000001";
        var persistenceId = BroadcastActor.PersistenceIdFor(User, id);
        var broadcast = await StartPartWayAsync(id, SnapshotEvery(10));

        // 2 creation events and 25 settled: a snapshot at 10, then one at 20 (or, when the first was still being saved,
        // at the event stored when it was answered); the older one deleted.
        await Eventually.TrueAsync(() => Snapshots(persistenceId) is [>= 20 and <= 27], TimeSpan.FromSeconds(10),
            $"snapshots at {string.Join(", ", Snapshots(persistenceId))}");
        await broadcast.GracefulStop(TimeSpan.FromSeconds(10));
        var snapshotAt = Snapshots(persistenceId).Single();
        Assert.Equal(27, Query<long>($"SELECT MAX(sequence_number) FROM journal WHERE persistence_id = '{persistenceId}'").Single());

        // Without the events the snapshot covers, only the snapshot can tell what they said.
        Execute($"DELETE FROM journal WHERE persistence_id = '{persistenceId}' AND sequence_number <= {snapshotAt}");
        var second = new ConcurrentQueue<int>();
        broadcast = Start(id, SnapshotEvery(10), second, storeBelow: int.MaxValue);

        Assert.Equal(new BroadcastProgress(id, Recipients, StoredBeforeStop, 0, 0, 0), await ProgressAsync(broadcast, id));
        await Eventually.TrueAsync(async () => (await ProgressAsync(broadcast, id)).IsFinished, TimeSpan.FromSeconds(30), "the recovered broadcast did not finish");
        Assert.Equal(Enumerable.Range(StoredBeforeStop, Recipients - StoredBeforeStop), second.Distinct().Order());

        // Finished (15 more settled, then closed: 43 events): one snapshot at its very end, so a later look reads that alone.
        await Eventually.TrueAsync(() => Snapshots(persistenceId).SequenceEqual([FinalSeq]), TimeSpan.FromSeconds(10),
            $"snapshots at {string.Join(", ", Snapshots(persistenceId))}, events up to {string.Join(", ", Query<long>($"SELECT MAX(sequence_number) FROM journal WHERE persistence_id = '{persistenceId}'"))}");
        Assert.Equal([BroadcastSnapshot.Manifest], Query<string>($"SELECT manifest FROM snapshot WHERE persistence_id = '{persistenceId}'"));
    }

    [Fact]
    public async Task A_journal_written_before_snapshots_recovers_from_its_events_and_snapshots_from_then_on()
    {
        const string id = "b00000000000000000000000000000002";
        var persistenceId = BroadcastActor.PersistenceIdFor(User, id);
        var broadcast = await StartPartWayAsync(id, SnapshotEvery(1_000_000));
        await broadcast.GracefulStop(TimeSpan.FromSeconds(10));
        Assert.Empty(Snapshots(persistenceId));

        var second = new ConcurrentQueue<int>();
        broadcast = Start(id, SnapshotEvery(10), second, storeBelow: int.MaxValue);

        Assert.Equal(new BroadcastProgress(id, Recipients, StoredBeforeStop, 0, 0, 0), await ProgressAsync(broadcast, id));
        await Eventually.TrueAsync(async () => (await ProgressAsync(broadcast, id)).IsFinished, TimeSpan.FromSeconds(30), "the recovered broadcast did not finish");
        Assert.Equal(Enumerable.Range(StoredBeforeStop, Recipients - StoredBeforeStop), second.Distinct().Order());
        await Eventually.TrueAsync(() => Snapshots(persistenceId).SequenceEqual([FinalSeq]), TimeSpan.FromSeconds(10),
            $"snapshots at {string.Join(", ", Snapshots(persistenceId))}");
    }

    /// <summary>Sends refused as "unavailable" are asked again only after a minute: never within a test.</summary>
    /// <summary>A new broadcast whose stand-in session stores only the first <see cref="StoredBeforeStop"/> sends, once they are settled.</summary>
    private async Task<IActorRef> StartPartWayAsync(string id, BroadcastOptions options)
    {
        var broadcast = Start(id, options, new ConcurrentQueue<int>(), storeBelow: StoredBeforeStop);
        await CreateAsync(broadcast, id);
        await Eventually.TrueAsync(async () => (await ProgressAsync(broadcast, id)).Sent == StoredBeforeStop, TimeSpan.FromSeconds(30),
            "the stand-in session's sends were not all settled");
        return broadcast;
    }

    private static BroadcastOptions SnapshotEvery(int events) => new()
    {
        SnapshotEvery = events,
        RetryInterval = TimeSpan.FromMinutes(1),
        AskTimeout = TimeSpan.FromSeconds(10),
    };

    private IActorRef Start(string id, BroadcastOptions options, ConcurrentQueue<int> handed, int storeBelow)
    {
        var system = _server.ActorSystem();
        var session = system.ActorOf(Props.Create(() => new StandInSession(handed, storeBelow)));
        var dependencies = new BroadcastDependencies(() => session, () => ActorRefs.Nobody, options, TimeSpan.Zero, TimeProvider.System);
        return system.ActorOf(BroadcastActor.Props(User, id, dependencies));
    }

    private static async Task CreateAsync(IActorRef broadcast, string id)
    {
        string[] numbers = [.. Enumerable.Range(0, Recipients).Select(i => string.Create(CultureInfo.InvariantCulture, $"+1555777{i:0000}"))];
        var reply = await broadcast.Ask<BroadcastCreateReply>(
            new CreateBroadcast(User, id, "snapshot me", [], null, Recipients, 0, 1, numbers), TimeSpan.FromSeconds(10));
        Assert.Equal(new BroadcastCreateReply(Stored: true, Existing: false), reply);
    }

    private static async Task<BroadcastProgress> ProgressAsync(IActorRef broadcast, string id) =>
        (await broadcast.Ask<BroadcastStatusReply>(new GetBroadcast(User, id), TimeSpan.FromSeconds(10))).Progress
            ?? throw new InvalidOperationException($"broadcast {id} is unknown");

    private List<long> Snapshots(string persistenceId) =>
        Query<long>($"SELECT sequence_number FROM snapshot WHERE persistence_id = '{persistenceId}' ORDER BY sequence_number");

    private List<T> Query<T>(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(reader.GetFieldValue<T>(0));
        }

        return rows;
    }

    private void Execute(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA busy_timeout = 10000; " + sql;
        command.ExecuteNonQuery();
    }

    /// <summary>The user's session as the broadcast sees it: stores (accepts) the sends below an index, says "unavailable" to the rest.</summary>
    private sealed class StandInSession : ReceiveActor
    {
        public StandInSession(ConcurrentQueue<int> handed, int storeBelow)
        {
            Receive<BroadcastSend>(send =>
            {
                var index = int.Parse(send.ClientRef[(send.ClientRef.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
                handed.Enqueue(index);
                Sender.Tell(index < storeBelow
                    ? new SendResult.Accepted($"m-{index}", index + 1, Duplicate: false, new ServerFrame(index + 1, "{}"u8.ToArray()))
                    : new SendResult.Rejected(ErrorCodes.Unavailable, "not now", send.ClientRef));
            });
            Receive<RecordBroadcast>(_ => Sender.Tell(new BroadcastRecorded(Stored: true, Seq: 0)));
        }
    }
}
