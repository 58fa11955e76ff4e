using System.Net;
using Akka.Actor;
using System.Text.Json;
using MessagingServer.Domain.Messages;
using MessagingServer.EndToEnd.Infrastructure;
using MessagingServer.Persistence;
using Microsoft.Data.Sqlite;

namespace MessagingServer.EndToEnd.Persistence;

/// <summary>The journal, the snapshot store and our serializer together, on a real SQLite file.</summary>
public sealed class SqlitePersistenceSpecs : IAsyncLifetime
{
    private readonly string _folder = TestFolders.Create("sqlite");
    private RunningServer _server = null!;

    private string DatabasePath => Path.Combine(_folder, "nested", "store", "messaging.db");

    private Dictionary<string, string?> Settings => new()
    {
        ["Persistence:Provider"] = "Sqlite",
        ["Persistence:SqlitePath"] = DatabasePath,
    };

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync(Settings, ProbeState.Register);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        TestFolders.Delete(_folder);
    }

    [Fact]
    public void The_sqlite_file_is_created_in_wal_mode_at_the_configured_path_on_first_start()
    {
        Assert.True(File.Exists(DatabasePath));
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", command.ExecuteScalar() as string);
    }

    [Fact]
    public async Task Events_are_recovered_after_the_actor_is_killed()
    {
        var events = SampleEvents.All();
        var probe = _server.StartProbe("sqlite-killed");
        await probe.Ask<JournalProbeActor.Stored>(new JournalProbeActor.Store(events[..4]), PersistenceProbe.Timeout);
        await probe.Ask<JournalProbeActor.Stored>(new JournalProbeActor.Store(events[4..], AsOneWrite: true), PersistenceProbe.Timeout);

        await probe.KillAsync();
        var recovered = await _server.StartProbe("sqlite-killed").ContentsAsync();

        Assert.Equal(events.Length, recovered.LastSequenceNr);
        Assert.Equivalent(events, recovered.Events, strict: true);
    }

    [Fact]
    public async Task Events_and_snapshots_survive_a_restart_of_the_whole_server()
    {
        var events = SampleEvents.All();
        var state = new ProbeState(3, new Dictionary<string, MessageStatus> { ["m-1"] = MessageStatus.Undelivered }, ["+15550001111"]);
        var probe = _server.StartProbe("sqlite-restarted");
        await probe.Ask<JournalProbeActor.Stored>(new JournalProbeActor.Store(events[..3]), PersistenceProbe.Timeout);
        await probe.Ask<JournalProbeActor.StateSaved>(new JournalProbeActor.SaveState(state), PersistenceProbe.Timeout);
        await probe.Ask<JournalProbeActor.Stored>(new JournalProbeActor.Store(events[3..]), PersistenceProbe.Timeout);

        await _server.DisposeAsync();
        _server = await RunningServer.StartAsync(Settings, ProbeState.Register);
        var recovered = await _server.StartProbe("sqlite-restarted").ContentsAsync();

        Assert.Equal(events.Length, recovered.LastSequenceNr);
        Assert.Equivalent(state, recovered.Snapshot, strict: true);
        Assert.Equivalent(events[3..], recovered.Events, strict: true);
    }

    [Fact]
    public async Task Every_row_is_written_by_our_serializer_under_its_manifest()
    {
        var events = SampleEvents.All();
        var probe = _server.StartProbe("sqlite-rows");
        await probe.Ask<JournalProbeActor.Stored>(new JournalProbeActor.Store(events), PersistenceProbe.Timeout);
        await probe.Ask<JournalProbeActor.StateSaved>(
            new JournalProbeActor.SaveState(new ProbeState(1, new Dictionary<string, MessageStatus>(), [])), PersistenceProbe.Timeout);

        using var connection = Open();
        var journal = Rows(connection, "SELECT identifier, manifest, message FROM journal WHERE persistence_id = 'sqlite-rows' ORDER BY sequence_number");
        var snapshots = Rows(connection, "SELECT serializer_id, manifest, snapshot FROM snapshot WHERE persistence_id = 'sqlite-rows'");

        Assert.All(journal.Concat(snapshots), row => Assert.Equal(StoredJsonSerializer.SerializerId, row.SerializerId));
        Assert.Equal(events.Select(e => _server.Services.GetRequiredService<StoredTypeRegistry>().ManifestFor(e.GetType())), journal.Select(r => r.Manifest));
        Assert.Equal([ProbeState.Manifest], snapshots.Select(r => r.Manifest));
        // Plain JSON objects, not Newtonsoft's "$type" envelopes.
        Assert.All(journal, row => Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(row.Payload).RootElement.ValueKind));
        Assert.DoesNotContain(journal, row => row.Payload.Contains("$type", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Many_actors_persisting_and_saving_snapshots_at_once_all_succeed()
    {
        // Two writers (journal and snapshot store) on one file: they wait for each other's lock, never fail.
        var probes = Enumerable.Range(0, 50).Select(i => _server.StartProbe($"sqlite-busy-{i}")).ToArray();

        await Task.WhenAll(probes.Select(async (probe, i) =>
        {
            for (var round = 1; round <= 4; round++)
            {
                await probe.Ask<JournalProbeActor.Stored>(
                    new JournalProbeActor.Store([SampleEvents.Numbered(2 * round - 1), SampleEvents.Numbered(2 * round)]), PersistenceProbe.Timeout);
                await probe.Ask<JournalProbeActor.StateSaved>(
                    new JournalProbeActor.SaveState(new ProbeState(i, new Dictionary<string, MessageStatus>(), [])), PersistenceProbe.Timeout);
            }
        }));
        await Task.WhenAll(probes.Select(p => p.KillAsync()));
        var recovered = await Task.WhenAll(probes.Select((_, i) => _server.StartProbe($"sqlite-busy-{i}").ContentsAsync()));

        Assert.All(recovered.Select((r, i) => (Recovered: r, Writer: i)), x =>
        {
            Assert.Equal(8, x.Recovered.LastSequenceNr);
            Assert.Equal(x.Writer, Assert.IsType<ProbeState>(x.Recovered.Snapshot).Seq);
        });
    }

    [Fact]
    public async Task Readiness_names_the_storage_as_healthy_without_its_path()
    {
        var response = await _server.Http.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        using var json = JsonDocument.Parse(body);
        var storage = json.RootElement.GetProperty("checks").GetProperty("storage");
        Assert.Equal("Healthy", storage.GetProperty("status").GetString());
        Assert.StartsWith("SQLite", storage.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(_folder, body, StringComparison.Ordinal);
        Assert.DoesNotContain("messaging.db", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readiness_fails_when_the_sqlite_file_is_gone()
    {
        await _server.DisposeAsync();
        TestFolders.Delete(Path.GetDirectoryName(DatabasePath));
        Directory.CreateDirectory(_folder);
        _server = await RunningServer.StartAsync(Settings, ProbeState.Register);
        File.Delete(DatabasePath);

        var response = await _server.Http.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        using var json = JsonDocument.Parse(body);
        Assert.Equal("Unhealthy", json.RootElement.GetProperty("checks").GetProperty("storage").GetProperty("status").GetString());
        Assert.DoesNotContain(_folder, body, StringComparison.Ordinal);
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection($"Data Source={DatabasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        return connection;
    }

    private static List<(long SerializerId, string Manifest, string Payload)> Rows(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<(long, string, string)>();
        while (reader.Read())
        {
            rows.Add((reader.GetInt64(0), reader.GetString(1), System.Text.Encoding.UTF8.GetString((byte[])reader.GetValue(2))));
        }

        return rows;
    }
}
