using System.Net;
using System.Text.Json;
using Akka.Actor;
using MessagingServer.Domain.Messages;
using MessagingServer.EndToEnd.Infrastructure;
using MessagingServer.Persistence;
using Npgsql;

namespace MessagingServer.EndToEnd.Persistence;

/// <summary>The journal, the snapshot store and our serializer together, on a real PostgreSQL server.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresPersistenceSpecs(PostgresServer postgres) : IAsyncLifetime
{
    private string _connectionString = null!;
    private RunningServer _server = null!;

    private Dictionary<string, string?> Settings => new()
    {
        ["Persistence:Provider"] = "PostgreSql",
        ["ConnectionStrings:Messaging"] = _connectionString,
        ["Persistence:HealthCheckTimeout"] = "00:00:02",
        // Each readiness call below must probe afresh, not share the answer of one taken before a stop or start.
        ["Persistence:HealthCheckInterval"] = "00:00:00",
    };

    public async Task InitializeAsync()
    {
        if (!postgres.IsRunning)
        {
            await postgres.StartAsync();
        }

        _connectionString = await postgres.CreateDatabaseAsync(nameof(PostgresPersistenceSpecs));
        _server = await RunningServer.StartAsync(Settings, ProbeState.Register);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Events_are_recovered_after_the_actor_is_killed()
    {
        var events = SampleEvents.All();
        var probe = _server.StartProbe("pg-killed");
        await probe.Ask<JournalProbeActor.Stored>(new JournalProbeActor.Store(events[..4]), PersistenceProbe.Timeout);
        await probe.Ask<JournalProbeActor.Stored>(new JournalProbeActor.Store(events[4..], AsOneWrite: true), PersistenceProbe.Timeout);

        await probe.KillAsync();
        var recovered = await _server.StartProbe("pg-killed").ContentsAsync();

        Assert.Equal(events.Length, recovered.LastSequenceNr);
        Assert.Equivalent(events, recovered.Events, strict: true);
    }

    [Fact]
    public async Task Events_and_snapshots_survive_a_restart_of_the_whole_server()
    {
        var events = SampleEvents.All();
        var state = new ProbeState(3, new Dictionary<string, MessageStatus> { ["m-1"] = MessageStatus.Sent }, []);
        var probe = _server.StartProbe("pg-restarted");
        await probe.Ask<JournalProbeActor.Stored>(new JournalProbeActor.Store(events[..3]), PersistenceProbe.Timeout);
        await probe.Ask<JournalProbeActor.StateSaved>(new JournalProbeActor.SaveState(state), PersistenceProbe.Timeout);
        await probe.Ask<JournalProbeActor.Stored>(new JournalProbeActor.Store(events[3..]), PersistenceProbe.Timeout);

        await _server.DisposeAsync();
        _server = await RunningServer.StartAsync(Settings, ProbeState.Register);
        var recovered = await _server.StartProbe("pg-restarted").ContentsAsync();

        Assert.Equal(events.Length, recovered.LastSequenceNr);
        Assert.Equivalent(state, recovered.Snapshot, strict: true);
        Assert.Equivalent(events[3..], recovered.Events, strict: true);
    }

    [Fact]
    public async Task Every_row_is_written_by_our_serializer_under_its_manifest()
    {
        var events = SampleEvents.All();
        var probe = _server.StartProbe("pg-rows");
        await probe.Ask<JournalProbeActor.Stored>(new JournalProbeActor.Store(events, AsOneWrite: true), PersistenceProbe.Timeout);

        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT identifier, manifest FROM journal WHERE persistence_id = 'pg-rows' ORDER BY sequence_number", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(int, string)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetInt32(0), reader.GetString(1)));
        }

        Assert.Equal(events.Select(e => (StoredJsonSerializer.SerializerId, _server.Services.GetRequiredService<StoredTypeRegistry>().ManifestFor(e.GetType()))), rows);
    }

    [Fact]
    public async Task Readiness_follows_the_database_going_away_and_coming_back()
    {
        var up = await ReadinessAsync();
        Assert.Equal((HttpStatusCode.OK, "Healthy"), (up.Status, up.Storage));

        await postgres.StopAsync();
        var down = await ReadinessAsync();

        await postgres.StartAsync();
        var back = await ReadinessAsync();

        Assert.Equal((HttpStatusCode.ServiceUnavailable, "Unhealthy"), (down.Status, down.Storage));
        Assert.False(string.IsNullOrWhiteSpace(down.Description));
        Assert.Equal((HttpStatusCode.OK, "Healthy"), (back.Status, back.Storage));
    }

    [Fact]
    public async Task The_journal_writes_again_once_the_database_is_back_and_readiness_saw_it_gone()
    {
        var probe = _server.StartProbe("pg-outage");
        await probe.Ask<JournalProbeActor.Stored>(new JournalProbeActor.Store([SampleEvents.Numbered(1)]), PersistenceProbe.Timeout);

        await postgres.StopAsync();
        // An orchestrator probes readiness meanwhile; a failed probe drops the journal's dead pooled connections.
        Assert.Equal("Unhealthy", (await ReadinessAsync()).Storage);
        await postgres.StartAsync();
        var stored = await probe.Ask<JournalProbeActor.Stored>(new JournalProbeActor.Store([SampleEvents.Numbered(2)]), PersistenceProbe.Timeout);
        await probe.KillAsync();
        var recovered = await _server.StartProbe("pg-outage").ContentsAsync();

        Assert.Equal(2, stored.LastSequenceNr);
        Assert.Equivalent(new[] { SampleEvents.Numbered(1), SampleEvents.Numbered(2) }, recovered.Events, strict: true);
    }

    private async Task<(HttpStatusCode Status, string? Storage, string? Description)> ReadinessAsync()
    {
        var response = await _server.Http.GetAsync("/health/ready");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var storage = json.RootElement.GetProperty("checks").GetProperty("storage");
        return (response.StatusCode, storage.GetProperty("status").GetString(), storage.GetProperty("description").GetString());
    }
}
