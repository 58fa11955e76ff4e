using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using MessagingServer.Bench.Scenarios;
using MessagingServer.TestSupport;

namespace MessagingServer.Bench.Processes;

/// <summary>
/// N server processes on 127.0.0.1 forming one cluster on one PostgreSQL journal: the first two are the seeds, every
/// node owns the same users' numbers and sends through the same fake Twilio. Ports are fixed for the cluster's life,
/// so a node killed with <see cref="KillAsync"/> starts again where it was (<see cref="RestartAsync"/>).
/// </summary>
public sealed class BenchCluster : IAsyncDisposable
{
    private static readonly TimeSpan MembershipTimeout = TimeSpan.FromSeconds(120);

    private readonly ScenarioContext _context;
    private readonly string _label;
    private readonly string _connection;
    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly (int Http, int Akka)[] _ports;
    private readonly BenchProcess?[] _nodes;

    private BenchCluster(ScenarioContext context, string label, string connection, IReadOnlyDictionary<string, string> settings, int size)
    {
        _context = context;
        _label = label;
        _connection = connection;
        _settings = settings;
        _ports = [.. Enumerable.Range(0, size).Select(_ => (FreePort.Next(), FreePort.Next()))];
        _nodes = new BenchProcess?[size];
    }

    public int Size => _nodes.Length;

    /// <summary>Node <paramref name="index"/>, which must be running.</summary>
    public BenchProcess this[int index] => _nodes[index] ?? throw new InvalidOperationException($"{NodeName(index)} is not running");

    public IEnumerable<BenchProcess> Running => _nodes.Where(n => n is { HasExited: false }).Select(n => n!);

    /// <summary>
    /// Starts <paramref name="size"/> nodes at once (the first seed forms the cluster, the others join) with
    /// <paramref name="settings"/> (Twilio, numbers, <c>Cluster:StableAfter</c>...) and waits until every node sees all of them Up.
    /// </summary>
    public static async Task<BenchCluster> StartAsync(
        ScenarioContext context, string label, string connection, IReadOnlyDictionary<string, string> settings, int size)
    {
        ArgumentNullException.ThrowIfNull(context);
        var cluster = new BenchCluster(context, label, connection, settings, size);
        try
        {
            await Task.WhenAll(Enumerable.Range(0, size).Select(cluster.StartNodeAsync));
            await cluster.WaitForMembersAsync(size);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public string NodeName(int index) => string.Create(CultureInfo.InvariantCulture, $"{_label}-node{index + 1}");

    /// <summary>kill -9 of node <paramref name="index"/>: no leave; the others must find it unreachable and down it.</summary>
    public async Task KillAsync(int index)
    {
        await this[index].KillHardAsync();
        _context.Log($"{NodeName(index)}: killed (kill -9)");
    }

    /// <summary>Starts a killed node again at its address and waits until every node sees all members Up.</summary>
    public async Task RestartAsync(int index)
    {
        if (_nodes[index] is { } old)
        {
            await old.DisposeAsync();
        }

        await StartNodeAsync(index);
        await WaitForMembersAsync(Size);
    }

    /// <summary>Polls (bounded) until every running node's readiness reports <paramref name="members"/> members, none unreachable.</summary>
    public async Task WaitForMembersAsync(int members)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var seen = "";
        while (clock.Elapsed < MembershipTimeout)
        {
            var running = Running.ToList();
            var views = await Task.WhenAll(running.Select(ClusterViewAsync));
            if (running.Count == members && views.All(v => v == Expected(members)))
            {
                return;
            }

            seen = string.Join("; ", running.Zip(views, (n, v) => $"{n.Name}: {v}"));
            await Task.Delay(250, _context.Cancel);
        }

        throw new TimeoutException($"{_label}: not {members} members within {MembershipTimeout}: {seen}");
    }

    /// <summary>
    /// Which node holds <paramref name="userId"/>'s session: reads every node's <c>messaging_sessions_alive</c>, asks
    /// for the user's history through node 0 (which starts the session wherever sharding puts it), and reads again.
    /// -1 when the counts moved on more than that one node (other sessions starting or stopping): ask about another user.
    /// </summary>
    public async Task<int> SessionHostAsync(string userId)
    {
        var before = await SessionCountsAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, this[0].Http($"api/users/{Uri.EscapeDataString(userId)}/messages?since=0&limit=1"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _context.Tokens.For(userId));
        using var response = await _context.Http.SendAsync(request, _context.Cancel);
        if (!response.IsSuccessStatusCode)
        {
            return -1;
        }

        var after = await SessionCountsAsync();
        var moved = Enumerable.Range(0, Size).Where(i => after[i] != before[i]).ToList();
        return moved is [var host] && after[host] == before[host] + 1 ? host : -1;
    }

    /// <summary>Every node's <c>messaging_sessions_alive</c> (NaN for a node that is not running).</summary>
    private async Task<double[]> SessionCountsAsync() =>
        await Task.WhenAll(_nodes.Select(async n => n is { HasExited: false } node
            ? PrometheusValue(await _context.Http.GetStringAsync(node.Http("metrics"), _context.Cancel), "messaging_sessions_alive")
            : double.NaN));

    /// <summary>The sum of a Prometheus metric's samples (all label sets) in a scrape; 0 when absent.</summary>
    public static double PrometheusValue(string scrape, string metric)
    {
        ArgumentNullException.ThrowIfNull(scrape);
        var total = 0.0;
        foreach (var line in scrape.Split('\n'))
        {
            if (line.StartsWith('#') || !line.StartsWith(metric, StringComparison.Ordinal) || line.Length == metric.Length
                || (line[metric.Length] != ' ' && line[metric.Length] != '{'))
            {
                continue;
            }

            var value = line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ')[0];
            total += double.Parse(value, CultureInfo.InvariantCulture);
        }

        return total;
    }

    /// <summary>What a node's <c>cluster</c> readiness check says ("Up, 3 members, 0 unreachable"), or why there is no answer.</summary>
    private async Task<string> ClusterViewAsync(BenchProcess node)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_context.Cancel);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            using var response = await _context.Http.GetAsync(node.Http("health/ready"), timeout.Token);
            var json = JsonNode.Parse(await response.Content.ReadAsStringAsync(timeout.Token));
            return (string?)json?["checks"]?["cluster"]?["description"] ?? "no cluster check";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
        {
            return e.GetType().Name;
        }
    }

    private static string Expected(int members) => string.Create(CultureInfo.InvariantCulture, $"Up, {members} members, 0 unreachable");

    private async Task StartNodeAsync(int index)
    {
        var settings = new Dictionary<string, string>(_settings, StringComparer.Ordinal)
        {
            ["Cluster__Hostname"] = "127.0.0.1",
            ["Cluster__Port"] = _ports[index].Akka.ToString(CultureInfo.InvariantCulture),
            ["Cluster__SeedNodes__0"] = AkkaAddress(0),
            ["Cluster__SeedNodes__1"] = AkkaAddress(Math.Min(1, Size - 1)),
            ["Cluster__JoinTimeout"] = "00:01:30",
            ["Twilio__WebhookBaseUrl"] = $"http://127.0.0.1:{_ports[index].Http}",
        };
        _nodes[index] = await _context.StartServerAsync(NodeName(index), settings, _ports[index].Http, postgresConnection: _connection);
    }

    private string AkkaAddress(int index) => string.Create(CultureInfo.InvariantCulture, $"akka.tcp://messaging@127.0.0.1:{_ports[index].Akka}");

    /// <summary>Stops the nodes one at a time, the first seed last (all at once can time out the last one's leave).</summary>
    public async ValueTask DisposeAsync()
    {
        for (var i = _nodes.Length - 1; i >= 0; i--)
        {
            if (_nodes[i] is { } node)
            {
                await node.DisposeAsync();
            }
        }
    }
}
