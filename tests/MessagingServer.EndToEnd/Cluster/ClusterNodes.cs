using MessagingServer.TestSupport.Twilio;
using System.Globalization;
using MessagingServer.EndToEnd.Infrastructure;

namespace MessagingServer.EndToEnd.Cluster;

/// <summary>
/// A real cluster on 127.0.0.1: one PostgreSQL (<see cref="PostgresServer"/>), one fake Twilio, and
/// <see cref="Size"/> server processes (the built MessagingServer.dll) on the PostgreSQL journal, the first two
/// being the seed nodes. Ports are chosen once, so a node killed or stopped starts again at the same address.
/// Each node owns nothing: every user in <see cref="Users"/> has a Twilio number routed to it, and any node
/// takes any socket or webhook.
/// <para>
/// Run just the cluster suite (a few minutes on 2 cores; it builds the server first):
/// <code>dotnet test tests/MessagingServer.EndToEnd --filter "FullyQualifiedName~Cluster"</code>
/// Each node's log is printed to the test output when a test fails (see <see cref="DumpLogs"/>).
/// </para>
/// </summary>
public class ClusterNodes : IAsyncLifetime
{
    /// <summary>Users whose numbers every node routes to them (inbound SMS to <c>NumberOf(user)</c> reaches the user).</summary>
    public static readonly IReadOnlyList<string> Users =
        [.. Enumerable.Range(0, 40).Select(i => string.Create(CultureInfo.InvariantCulture, $"cluster-user-{i:00}"))];

    private static readonly TimeSpan MembershipTimeout = TimeSpan.FromSeconds(90);

    private readonly PostgresServer _postgres = new();
    private readonly List<ClusterNode> _nodes = [];
    private string _connectionString = null!;

    public virtual int Size => 3;

    public IReadOnlyList<ClusterNode> Nodes => _nodes;

    public ClusterNode this[int index] => _nodes[index];

    public FakeTwilio Twilio { get; private set; } = null!;

    public IEnumerable<ClusterNode> Running => _nodes.Where(n => n.IsRunning);

    public static string NumberOf(string user) =>
        string.Create(CultureInfo.InvariantCulture, $"+1555020{Users.ToList().IndexOf(user):0000}");

    public async Task InitializeAsync()
    {
        await _postgres.InitializeAsync();
        _connectionString = await _postgres.CreateDatabaseAsync("cluster");
        Twilio = await FakeTwilio.StartAsync();
        for (var i = 0; i < Size; i++)
        {
            _nodes.Add(new ClusterNode(i, Environment));
        }

        // All at once: the first seed forms the cluster (after asking the second), the others join it.
        await Task.WhenAll(_nodes.Select(n => n.StartAsync()));
        await WaitForMembersAsync(Size);
    }

    /// <summary>The environment of one node: PostgreSQL, its ports, the two seeds, the fake Twilio, every user's number.</summary>
    private Dictionary<string, string> Environment(ClusterNode node)
    {
        var environment = Twilio.ServerSettings(webhookBaseUrl: node.BaseAddress.AbsoluteUri.TrimEnd('/'))
            .Where(kv => kv.Value is not null)
            .ToDictionary(kv => kv.Key.Replace(":", "__", StringComparison.Ordinal), kv => kv.Value!);
        environment["Persistence__Provider"] = "PostgreSql";
        environment["ConnectionStrings__Messaging"] = _connectionString;
        environment["Cluster__Hostname"] = "127.0.0.1";
        environment["Cluster__Port"] = node.AkkaPort.ToString(CultureInfo.InvariantCulture);
        environment["Cluster__SeedNodes__0"] = _nodes[0].AkkaAddress;
        environment["Cluster__SeedNodes__1"] = _nodes[1].AkkaAddress;
        // Failover sooner than the default 20 s, yet long enough that a node that misses heartbeats for a few
        // seconds on a busy 2-core machine is reachable again before the split-brain resolver downs it.
        environment["Cluster__StableAfter"] = "00:00:12";
        environment["Cluster__JoinTimeout"] = "00:01:00";
        environment["Twilio__MessagesPerSecond"] = "1000";
        environment["Limits__SendsPerSecond"] = "1000";
        environment["Limits__SendBurst"] = "1000";
        foreach (var user in Users)
        {
            environment[$"Routing__Numbers__{NumberOf(user)}"] = user;
        }

        Configure(environment);
        return environment;
    }

    /// <summary>A fixture of its own changes the nodes' settings here (e.g. a slower <c>Twilio__MessagesPerSecond</c>).</summary>
    protected virtual void Configure(IDictionary<string, string> environment)
    {
    }

    /// <summary>
    /// Polls (with a deadline) until every running node's readiness says its <c>cluster</c> check is Healthy with
    /// <paramref name="members"/> members and none unreachable.
    /// </summary>
    public async Task WaitForMembersAsync(int members, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? MembershipTimeout);
        var views = new Dictionary<string, ClusterView?>();
        while (true)
        {
            var running = Running.ToList();
            foreach (var node in running)
            {
                views[node.Name] = await node.ClusterViewAsync();
            }

            if (running.Count == members && running.All(n => views[n.Name] is { Healthy: true, Unreachable: 0 } v && v.Members == members))
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                var seen = string.Join("; ", running.Select(n => $"{n.Name}: {views[n.Name]?.Description ?? "no answer"}"));
                // A node that exited (e.g. downed by the split-brain resolver) says why in its last lines.
                var exited = string.Join('\n', _nodes.Where(n => !n.IsRunning && n.Output.Count > 0).Select(n =>
                    $"node {n.Name} is not running; its last lines:\n" + string.Join('\n', n.Output.TakeLast(25))));
                throw new TimeoutException($"the cluster did not reach {members} healthy members within {timeout ?? MembershipTimeout}: {seen}\n{exited}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>Starts every node that is not running (one at a time: a node joins an existing cluster) and waits for all to be members.</summary>
    public async Task EnsureAllUpAsync()
    {
        foreach (var node in _nodes.Where(n => !n.IsRunning))
        {
            await node.StartAsync();
        }

        await WaitForMembersAsync(Size);
    }

    /// <summary>Every node's log, for a failing test's output: the last lines here, the whole of it in files (their path is written).</summary>
    public void DumpLogs(Action<string> write, int lastLines = 60)
    {
        var folder = Directory.CreateTempSubdirectory("messaging-cluster-logs-").FullName;
        write($"whole node logs in {folder}");
        foreach (var node in _nodes)
        {
            var lines = node.Output;
            File.WriteAllLines(Path.Combine(folder, $"node-{node.Name}.log"), lines);
            write($"===== {node} =====");
            foreach (var line in lines.TakeLast(lastLines))
            {
                write(line);
            }
        }
    }

    /// <summary>Runs a test; when it fails, writes the nodes' logs to its output first.</summary>
    public async Task WithLogsOnFailureAsync(Xunit.Abstractions.ITestOutputHelper output, Func<Task> test)
    {
        try
        {
            await test();
        }
        catch
        {
            DumpLogs(output.WriteLine);
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        // Stop nodes one at a time, the last seed last (STACK.md: all at once times out the last one's exit).
        foreach (var node in Enumerable.Reverse(_nodes))
        {
            await node.DisposeAsync();
        }

        if (Twilio is not null)
        {
            await Twilio.DisposeAsync();
        }

        await _postgres.DisposeAsync();
    }
}

/// <summary>
/// The cluster test classes: one after another (each starts its own cluster of processes), and not beside other
/// test collections, so that three servers do not compete with other suites for two cores.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection
{
    public const string Name = "cluster";
}
