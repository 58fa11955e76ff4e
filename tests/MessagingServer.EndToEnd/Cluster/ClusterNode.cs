using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MessagingServer.EndToEnd.Infrastructure;
using MessagingServer.TestSupport;

namespace MessagingServer.EndToEnd.Cluster;

/// <summary>
/// One server process of a <see cref="ClusterNodes"/> cluster, on ports fixed for the fixture's life so that it
/// can be killed and started again where it was (same HTTP port, same remoting address).
/// </summary>
public sealed partial class ClusterNode : IAsyncDisposable
{
    private readonly Func<ClusterNode, IDictionary<string, string>> _environment;
    private readonly List<string> _earlierOutput = [];
    private readonly Dictionary<string, HttpClient> _userClients = new(StringComparer.Ordinal);
    private ServerProcess? _process;

    internal ClusterNode(int index, Func<ClusterNode, IDictionary<string, string>> environment)
    {
        Index = index;
        _environment = environment;
        HttpPort = FreePort.Next();
        AkkaPort = FreePort.Next();
        BaseAddress = new Uri($"http://127.0.0.1:{HttpPort}");
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(20) };
    }

    /// <summary>0 for the first seed (A), 1 for the second (B), ...</summary>
    public int Index { get; }

    public string Name => ((char)('A' + Index)).ToString();

    public int HttpPort { get; }

    public int AkkaPort { get; }

    /// <summary><c>akka.tcp://messaging@127.0.0.1:PORT</c>, as seed nodes are written.</summary>
    public string AkkaAddress => $"akka.tcp://messaging@127.0.0.1:{AkkaPort}";

    public Uri BaseAddress { get; }

    /// <summary>Anonymous HTTP (health, metrics, webhooks).</summary>
    public HttpClient Http { get; }

    public bool IsRunning => _process is { HasExited: false };

    public ServerProcess Process => _process ?? throw new InvalidOperationException($"node {Name} is not running");

    /// <summary>Everything this node's processes wrote, the earlier incarnations first.</summary>
    public IReadOnlyList<string> Output
    {
        get
        {
            lock (_earlierOutput)
            {
                return [.. _earlierOutput, .. _process?.Output ?? []];
            }
        }
    }

    public Uri WebSocketUri(string pathAndQuery) => new($"ws://127.0.0.1:{HttpPort}{pathAndQuery}");

    /// <summary>An HTTP client that carries <paramref name="userId"/>'s token.</summary>
    public HttpClient HttpFor(string userId)
    {
        lock (_userClients)
        {
            if (!_userClients.TryGetValue(userId, out var client))
            {
                client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(20) };
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For(userId));
                _userClients[userId] = client;
            }

            return client;
        }
    }

    /// <summary>Starts the process (again); returns once it listens, not once it is Up (see <see cref="ClusterNodes.WaitForMembersAsync"/>).</summary>
    public async Task StartAsync()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"node {Name} is already running");
        }

        await RetireAsync();
        // Not Up within the server's join timeout still listens; the start itself only waits for Kestrel.
        _process = await ServerProcess.StartAsync(_environment(this), TimeSpan.FromSeconds(120), HttpPort);
    }

    /// <summary>kill -9: no leave, no hand-off; the others find it unreachable and the split-brain resolver downs it.</summary>
    public async Task KillHardAsync()
    {
        Process.KillHard();
        await Process.WaitForExitAsync(TimeSpan.FromSeconds(20));
    }

    /// <summary>SIGTERM: a graceful leave. Returns the exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        await Process.TerminateAsync();
        return await Process.WaitForExitAsync(timeout);
    }

    /// <summary>What this node's <c>cluster</c> readiness check says, or null when it does not answer.</summary>
    public async Task<ClusterView?> ClusterViewAsync()
    {
        try
        {
            using var response = await Http.GetAsync(new Uri("/health/ready", UriKind.Relative));
            var json = JsonNode.Parse(await response.Content.ReadAsStringAsync());
            var check = json?["checks"]?["cluster"];
            var description = (string?)check?["description"] ?? "";
            var match = MembersDescription().Match(description);
            return new ClusterView(
                (string?)check?["status"] == "Healthy",
                match.Success ? int.Parse(match.Groups["members"].Value, CultureInfo.InvariantCulture) : -1,
                match.Success ? int.Parse(match.Groups["unreachable"].Value, CultureInfo.InvariantCulture) : -1,
                description);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>The sum of a Prometheus metric's samples on this node (all label sets), 0 when absent.</summary>
    public async Task<double> MetricAsync(string name, string? labelContains = null)
    {
        var text = await Http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        var total = 0.0;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith('#') || !line.StartsWith(name, StringComparison.Ordinal))
            {
                continue;
            }

            var rest = line[name.Length..];
            if (rest.Length == 0 || (rest[0] != ' ' && rest[0] != '{'))
            {
                continue;
            }

            if (labelContains is not null && !rest.Contains(labelContains, StringComparison.Ordinal))
            {
                continue;
            }

            var value = rest[(rest.LastIndexOf('}') + 1)..].Trim().Split(' ')[0];
            total += double.Parse(value, CultureInfo.InvariantCulture);
        }

        return total;
    }

    /// <summary><see cref="MetricAsync"/>, or 0 while the node is not running or does not answer.</summary>
    public async Task<double> MetricOrZeroAsync(string name)
    {
        if (!IsRunning)
        {
            return 0;
        }

        try
        {
            return await MetricAsync(name);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return 0;
        }
    }

    /// <summary>Keeps the output of an exited process and frees it, before a new one starts on the same ports.</summary>
    private async Task RetireAsync()
    {
        if (_process is null)
        {
            return;
        }

        var process = _process;
        _process = null;
        lock (_earlierOutput)
        {
            _earlierOutput.AddRange(process.Output);
            _earlierOutput.Add($"----- node {Name} process ended -----");
        }

        await process.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } process)
        {
            // One at a time, each a graceful leave when it can (STACK.md: all at once times out the last one).
            try
            {
                await process.TerminateAsync();
                await process.WaitForExitAsync(TimeSpan.FromSeconds(20));
            }
            catch (OperationCanceledException)
            {
                // It is killed below.
            }
        }

        await RetireAsync();
        Http.Dispose();
        foreach (var client in _userClients.Values)
        {
            client.Dispose();
        }
    }

    public override string ToString() => $"node {Name} (http {HttpPort}, akka {AkkaPort})";

    [GeneratedRegex(@"(?<members>\d+) members, (?<unreachable>\d+) unreachable")]
    private static partial Regex MembersDescription();
}

/// <summary>A node's own view of the cluster, from its readiness check.</summary>
public sealed record ClusterView(bool Healthy, int Members, int Unreachable, string Description);
