using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MessagingServer.EndToEnd.Infrastructure;
using MessagingServer.Sms;
using Microsoft.Data.Sqlite;

namespace MessagingServer.EndToEnd.Durability;

/// <summary>
/// <c>GET /api/users/{id}/messages</c> pages the whole journal: <c>Messaging:CachedEvents</c> only decides what a
/// session keeps in memory, and events older than that (and older than its snapshots) are read from the journal.
/// </summary>
public sealed class WholeJournalHistorySpecs : IAsyncLifetime
{
    private const string Number = "+15550009393";
    private const string User = "archive";
    private string _folder = null!;
    private Dictionary<string, string?> _settings = null!;
    private RunningServer _server = null!;

    private string DatabasePath => Path.Combine(_folder, "messaging.db");

    public async Task InitializeAsync()
    {
        _folder = TestFolders.Create("history");
        _settings = new Dictionary<string, string?>
        {
            ["Persistence:SqlitePath"] = DatabasePath,
            // Snapshots as often as allowed, so that most of the 30 events are covered by one.
            ["Persistence:SnapshotEvery"] = "5",
            ["Messaging:CachedEvents"] = "10",
            [$"Routing:Numbers:{Number}"] = User,
        };
        _server = await RunningServer.StartAsync(_settings);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        TestFolders.Delete(_folder);
    }

    [Fact]
    public async Task Every_stored_event_is_paged_in_order_however_old_before_and_after_a_restart()
    {
        var ingress = _server.Services.GetRequiredService<ISmsIngress>();
        for (var i = 1; i <= 30; i++)
        {
            Assert.Equal(IngressResult.Stored, await ingress.ReceiveAsync(new InboundSms("+15550001111", Number, $"old {i}", [], $"SMarchive{i}"), CancellationToken.None));
        }

        await ExpectPagesAsync();

        await _server.DisposeAsync();
        _server = await RunningServer.StartAsync(_settings);
        Assert.True(await SnapshotRowsAsync() > 0, "the session should have saved a snapshot covering older events");

        await ExpectPagesAsync();

        // A socket resuming from the start after the restart reads the same journal: every event once, in order.
        await using var device = await MessageClient.ConnectAsync(_server, User, "?since=0");
        Assert.Equal(Seqs(1, 30), (await device.ReceiveManyAsync(30)).Select(f => (long)f["seq"]!));
        await device.ExpectNothingPendingAsync();
    }

    private async Task ExpectPagesAsync()
    {
        Assert.Equal(Seqs(1, 30), (await PageAsync("since=0&limit=100")).Select(Seq));
        Assert.Equal(Enumerable.Range(1, 30).Select(i => $"old {i}"), (await PageAsync("since=0&limit=100")).Select(e => (string?)e!["body"]));
        Assert.Equal(Seqs(26, 5), (await PageAsync("since=25")).Select(Seq));
        // A page that starts before memory stops at its limit; one that starts inside memory is served from there.
        Assert.Equal(Seqs(4, 10), (await PageAsync("since=3&limit=10")).Select(Seq));
        Assert.Equal(Seqs(21, 10), (await PageAsync("since=20&limit=100")).Select(Seq));
        Assert.Empty(await PageAsync("since=30"));
    }

    private async Task<JsonArray> PageAsync(string query) =>
        (await _server.HttpFor(User).GetFromJsonAsync<JsonArray>($"/api/users/{User}/messages?{query}"))!;

    private static long Seq(JsonNode? e) => (long)e!["seq"]!;

    private static IEnumerable<long> Seqs(int first, int count) => Enumerable.Range(first, count).Select(i => (long)i);

    private async Task<long> SnapshotRowsAsync()
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM snapshot WHERE persistence_id = 'session-archive'";
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
