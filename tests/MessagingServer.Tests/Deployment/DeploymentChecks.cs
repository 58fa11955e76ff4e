using System.Data.Common;
using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace MessagingServer.Tests.Deployment;

/// <summary>
/// Reads docker-compose.yml, deploy/nginx.conf and the Dockerfile as text and lists what would stop the
/// three-node cluster from working: one sentence per problem, empty when all is well. The specs run it on the
/// repository's files and on broken copies of them (so each rule is seen to fail).
/// </summary>
public static partial class DeploymentChecks
{
    public static readonly string[] NodeServices = ["node1", "node2", "node3"];
    public const int ClusterPort = 4053;
    public const string NodeImage = "messaging-server:local";

    public static IReadOnlyList<string> Problems(string compose, string nginx, string dockerfile)
    {
        var problems = new List<string>();
        var appPort = AppPort(dockerfile, problems);
        CheckDockerfile(dockerfile, appPort, problems);
        var services = CheckCompose(compose, problems);
        CheckNginx(nginx, appPort, problems);
        if (services is not null)
        {
            CheckNginxService(services, problems);
        }

        return problems;
    }

    // ---- Dockerfile ----------------------------------------------------------------------------

    private static int AppPort(string dockerfile, List<string> problems)
    {
        var match = HttpPortsRegex().Match(dockerfile);
        if (!match.Success)
        {
            problems.Add("Dockerfile: no ASPNETCORE_HTTP_PORTS=<port> (the port nginx must forward to)");
            return -1;
        }

        return int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    private static void CheckDockerfile(string dockerfile, int appPort, List<string> problems)
    {
        var exposed = ExposeRegex().Matches(dockerfile)
            .SelectMany(m => m.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(p => p.Split('/')[0])
            .ToHashSet(StringComparer.Ordinal);
        foreach (var port in new[] { appPort, ClusterPort }.Where(p => p > 0))
        {
            if (!exposed.Contains(port.ToString(CultureInfo.InvariantCulture)))
            {
                problems.Add($"Dockerfile: EXPOSE lacks {port}");
            }
        }
    }

    // ---- docker-compose.yml --------------------------------------------------------------------

    private static YamlMappingNode? CheckCompose(string compose, List<string> problems)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(compose));
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root
            || Child(root, "services") is not YamlMappingNode services)
        {
            problems.Add("docker-compose.yml: no services mapping");
            return null;
        }

        var names = services.Children.Keys.Select(Text).ToList();
        var nodes = names.Where(n => IsNodeService((YamlMappingNode)services.Children[new YamlScalarNode(n)])).ToList();
        if (!nodes.SequenceEqual(NodeServices, StringComparer.Ordinal))
        {
            problems.Add($"docker-compose.yml: node services are [{string.Join(", ", nodes)}], expected [{string.Join(", ", NodeServices)}]");
        }

        var postgres = CheckPostgres(services, problems);
        var environments = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            environments[node] = Environment(Service(services, node)!, node, problems);
        }

        for (var i = 0; i < nodes.Count; i++)
        {
            CheckNode(services, nodes[i], i == 0 ? null : nodes[i - 1], environments, postgres, problems);
        }

        var seedLists = environments.Values.Select(e => string.Join(" ", SeedNodes(e))).Distinct(StringComparer.Ordinal).Count();
        if (seedLists > 1)
        {
            problems.Add("docker-compose.yml: the nodes do not all list the same seed nodes");
        }

        var keys = environments.Values.Select(e => e.GetValueOrDefault("Auth__SigningKey")).Distinct(StringComparer.Ordinal).Count();
        if (keys > 1)
        {
            problems.Add("docker-compose.yml: the nodes do not share one Auth__SigningKey (a token from one would fail on another)");
        }

        return services;
    }

    private static bool IsNodeService(YamlMappingNode service) =>
        string.Equals(Scalar(service, "image"), NodeImage, StringComparison.Ordinal) || Child(service, "build") is not null;

    private static (string Service, string? User, string? Database)? CheckPostgres(YamlMappingNode services, List<string> problems)
    {
        foreach (var (key, value) in services.Children)
        {
            if (value is YamlMappingNode service && (Scalar(service, "image") ?? "").StartsWith("postgres:", StringComparison.Ordinal))
            {
                var name = Text(key);
                var test = Sequence(Child(Child(service, "healthcheck"), "test"));
                if (!test.Any(t => t.Contains("pg_isready", StringComparison.Ordinal)))
                {
                    problems.Add($"docker-compose.yml: {name} has no pg_isready healthcheck (the nodes wait for it)");
                }

                var env = Environment(service, name, problems);
                return (name, env.GetValueOrDefault("POSTGRES_USER"), env.GetValueOrDefault("POSTGRES_DB"));
            }
        }

        problems.Add("docker-compose.yml: no service runs the official postgres image");
        return null;
    }

    private static void CheckNode(
        YamlMappingNode services,
        string node,
        string? previous,
        Dictionary<string, Dictionary<string, string>> environments,
        (string Service, string? User, string? Database)? postgres,
        List<string> problems)
    {
        var service = Service(services, node)!;
        var env = environments[node];
        Expect(env, node, "Persistence__Provider", "PostgreSql", problems);
        Expect(env, node, "Cluster__Hostname", "0.0.0.0", problems);
        Expect(env, node, "Cluster__PublicHostname", node, problems);
        Expect(env, node, "Cluster__Port", ClusterPort.ToString(CultureInfo.InvariantCulture), problems);

        if (!SigningKeyRegex().IsMatch(env.GetValueOrDefault("Auth__SigningKey") ?? ""))
        {
            problems.Add($"docker-compose.yml: {node} Auth__SigningKey must be ${{MESSAGING_SIGNING_KEY:?message}} (required, never a default), is '{env.GetValueOrDefault("Auth__SigningKey")}'");
        }

        CheckConnectionString(env, node, postgres, problems);
        CheckSeeds(env, node, environments, problems);

        var dependsOn = Child(service, "depends_on") as YamlMappingNode;
        if (postgres is { } pg && !string.Equals(Scalar(Child(dependsOn, pg.Service), "condition"), "service_healthy", StringComparison.Ordinal))
        {
            problems.Add($"docker-compose.yml: {node} does not wait for {pg.Service} to be healthy");
        }

        if (previous is not null && Child(dependsOn, previous) is null)
        {
            problems.Add($"docker-compose.yml: {node} does not depend on {previous} (compose would stop the nodes all at once, not one at a time)");
        }

        var test = Sequence(Child(Child(service, "healthcheck"), "test"));
        if (!test.Any(t => t.Contains("/health/ready", StringComparison.Ordinal)))
        {
            problems.Add($"docker-compose.yml: {node} healthcheck does not ask /health/ready");
        }

        if (Duration(Scalar(service, "stop_grace_period")) is not { } grace || grace < TimeSpan.FromSeconds(20))
        {
            problems.Add($"docker-compose.yml: {node} stop_grace_period must give a graceful leave at least 20s, is '{Scalar(service, "stop_grace_period")}'");
        }

        if (Child(service, "ports") is not null)
        {
            problems.Add($"docker-compose.yml: {node} publishes ports; only nginx should be reachable (the nodes believe X-Forwarded-For from private networks)");
        }
    }

    private static void CheckConnectionString(
        Dictionary<string, string> env,
        string node,
        (string Service, string? User, string? Database)? postgres,
        List<string> problems)
    {
        if (!env.TryGetValue("ConnectionStrings__Messaging", out var connectionString))
        {
            problems.Add($"docker-compose.yml: {node} has no ConnectionStrings__Messaging");
            return;
        }

        var builder = new DbConnectionStringBuilder { ConnectionString = connectionString };
        string? Part(string key) => builder.TryGetValue(key, out var v) ? Convert.ToString(v, CultureInfo.InvariantCulture) : null;
        if (postgres is not { } pg)
        {
            return;
        }

        if (!string.Equals(Part("Host"), pg.Service, StringComparison.Ordinal))
        {
            problems.Add($"docker-compose.yml: {node} ConnectionStrings__Messaging Host is '{Part("Host")}', not the {pg.Service} service");
        }

        if (!string.Equals(Part("Username"), pg.User, StringComparison.Ordinal) || !string.Equals(Part("Database"), pg.Database, StringComparison.Ordinal))
        {
            problems.Add($"docker-compose.yml: {node} ConnectionStrings__Messaging user/database '{Part("Username")}'/'{Part("Database")}' differ from {pg.Service}'s POSTGRES_USER/POSTGRES_DB '{pg.User}'/'{pg.Database}'");
        }
    }

    private static void CheckSeeds(Dictionary<string, string> env, string node, Dictionary<string, Dictionary<string, string>> environments, List<string> problems)
    {
        var seeds = SeedNodes(env);
        if (seeds.Count < 2)
        {
            problems.Add($"docker-compose.yml: {node} lists {seeds.Count} seed node(s); two (node1, node2) let a node join while one seed is down");
        }

        if (seeds.Count > 0 && !string.Equals(seeds[0], $"akka.tcp://messaging@{NodeServices[0]}:{ClusterPort}", StringComparison.Ordinal))
        {
            problems.Add($"docker-compose.yml: {node} first seed is '{seeds[0]}'; the first seed forms the cluster and must be {NodeServices[0]}");
        }

        foreach (var seed in seeds)
        {
            if (!Uri.TryCreate(seed, UriKind.Absolute, out var uri) || uri.Scheme != "akka.tcp" || uri.UserInfo != "messaging")
            {
                problems.Add($"docker-compose.yml: {node} seed '{seed}' is not akka.tcp://messaging@host:port");
                continue;
            }

            if (!environments.TryGetValue(uri.Host, out var target))
            {
                problems.Add($"docker-compose.yml: {node} seed '{seed}' names '{uri.Host}', which is not a node service");
            }
            else if (!string.Equals(target.GetValueOrDefault("Cluster__Port"), uri.Port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal))
            {
                problems.Add($"docker-compose.yml: {node} seed '{seed}' uses port {uri.Port}, but {uri.Host} listens on Cluster__Port {target.GetValueOrDefault("Cluster__Port")}");
            }
        }
    }

    private static List<string> SeedNodes(Dictionary<string, string> env)
    {
        var seeds = new List<string>();
        for (var i = 0; env.TryGetValue($"Cluster__SeedNodes__{i}", out var seed); i++)
        {
            seeds.Add(seed);
        }

        return seeds;
    }

    private static void CheckNginxService(YamlMappingNode services, List<string> problems)
    {
        var entry = services.Children.FirstOrDefault(s => s.Value is YamlMappingNode m && (Scalar(m, "image") ?? "").StartsWith("nginx:", StringComparison.Ordinal));
        if (entry.Value is not YamlMappingNode nginx)
        {
            problems.Add("docker-compose.yml: no nginx service");
            return;
        }

        var name = Text(entry.Key);
        var tag = Scalar(nginx, "image")!["nginx:".Length..];
        if (!Version.TryParse(VersionRegex().Match(tag).Value, out var version) || version < new Version(1, 27, 3))
        {
            problems.Add($"docker-compose.yml: {name} image tag '{tag}' must be nginx 1.27.3 or newer (upstream 'resolve')");
        }

        if (!Sequence(Child(nginx, "volumes")).Any(v => v.StartsWith("./deploy/nginx.conf:/etc/nginx/nginx.conf", StringComparison.Ordinal)))
        {
            problems.Add($"docker-compose.yml: {name} does not mount ./deploy/nginx.conf as /etc/nginx/nginx.conf");
        }

        if (!Sequence(Child(nginx, "ports")).Any(p => p.EndsWith(":80", StringComparison.Ordinal)))
        {
            problems.Add($"docker-compose.yml: {name} publishes no port to its listen port 80");
        }

        var dependsOn = Child(nginx, "depends_on") as YamlMappingNode;
        foreach (var node in NodeServices.Where(n => Child(dependsOn, n) is null))
        {
            problems.Add($"docker-compose.yml: {name} does not depend on {node}");
        }
    }

    // ---- deploy/nginx.conf ---------------------------------------------------------------------

    private static void CheckNginx(string nginx, int appPort, List<string> problems)
    {
        var text = string.Join('\n', nginx.Split('\n').Select(l => l.Split('#')[0]));
        var upstreams = UpstreamRegex().Matches(text);
        if (upstreams.Count != 1)
        {
            problems.Add($"nginx.conf: {upstreams.Count} upstream blocks, expected one");
            return;
        }

        var name = upstreams[0].Groups[1].Value;
        var body = upstreams[0].Groups[2].Value;
        var servers = ServerRegex().Matches(body).Select(m => m.Groups[1].Value).ToList();
        var expected = NodeServices.Select(n => $"{n}:{appPort}").ToList();
        if (!servers.Order(StringComparer.Ordinal).SequenceEqual(expected, StringComparer.Ordinal))
        {
            problems.Add($"nginx.conf: upstream {name} lists [{string.Join(", ", servers)}], expected exactly [{string.Join(", ", expected)}]");
        }

        foreach (Match sticky in StickyRegex().Matches(text))
        {
            problems.Add($"nginx.conf: '{sticky.Groups[1].Value}' makes the balancing other than plain round-robin (no stickiness wanted)");
        }

        if (body.Contains(" resolve", StringComparison.Ordinal) && !ZoneRegex().IsMatch(body))
        {
            problems.Add($"nginx.conf: upstream {name} resolves its servers but has no zone (nginx refuses that)");
        }

        if (body.Contains(" resolve", StringComparison.Ordinal) && !Regex.IsMatch(text, @"^\s*resolver\s+\S+", RegexOptions.Multiline))
        {
            problems.Add("nginx.conf: servers with 'resolve' need a resolver (127.0.0.11, Docker's DNS)");
        }

        Require(text, $@"proxy_pass\s+http://{Regex.Escape(name)}\s*;", $"nginx.conf: no 'proxy_pass http://{name};'", problems);
        Require(text, @"proxy_http_version\s+1\.1\s*;", "nginx.conf: no 'proxy_http_version 1.1;' (WebSockets need HTTP/1.1 to the nodes)", problems);
        Require(text, @"proxy_set_header\s+Upgrade\s+\$http_upgrade\s*;", "nginx.conf: no 'proxy_set_header Upgrade $http_upgrade;'", problems);
        Require(text, @"proxy_set_header\s+Connection\s+(\$connection_upgrade|""?upgrade""?)\s*;", "nginx.conf: no 'proxy_set_header Connection' passing the upgrade", problems);
        Require(text, @"proxy_set_header\s+Host\s+\$http_host\s*;", "nginx.conf: Host must be passed as sent ($http_host, with its port: the origin check compares it)", problems);

        CheckAccessLog(text, problems);

        var readTimeout = Regex.Match(text, @"proxy_read_timeout\s+(\S+)\s*;");
        if (!readTimeout.Success || Duration(readTimeout.Groups[1].Value) is not { } timeout || timeout < TimeSpan.FromMinutes(10))
        {
            problems.Add($"nginx.conf: proxy_read_timeout must be long (at least 10 minutes) or quiet sockets are cut after 60 s, is '{(readTimeout.Success ? readTimeout.Groups[1].Value : "unset")}'");
        }
    }

    /// <summary>Tokens travel as <c>?access_token=</c>: nginx must not log query strings (its default "combined" does).</summary>
    private static void CheckAccessLog(string text, List<string> problems)
    {
        var formats = LogFormatRegex().Matches(text).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.Ordinal);
        var logs = AccessLogRegex().Matches(text).Select(m => m.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        if (logs.Count == 0)
        {
            problems.Add("nginx.conf: no access_log with a format of its own; the default \"combined\" logs query strings (access_token)");
        }

        foreach (var parts in logs.Where(p => p[0] != "off"))
        {
            var format = parts.Length > 1 ? parts[1] : "combined";
            if (!formats.TryGetValue(format, out var definition))
            {
                problems.Add($"nginx.conf: access_log uses format '{format}', which logs query strings (access_token) or is not defined here");
            }
            else if (QueryVariableRegex().Match(definition) is { Success: true } variable)
            {
                problems.Add($"nginx.conf: log_format {format} logs {variable.Value}, which carries the query string (access_token)");
            }
        }
    }

    private static void Require(string text, string pattern, string problem, List<string> problems)
    {
        if (!Regex.IsMatch(text, pattern))
        {
            problems.Add(problem);
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static void Expect(Dictionary<string, string> env, string node, string key, string expected, List<string> problems)
    {
        var actual = env.GetValueOrDefault(key);
        if (!string.Equals(actual, expected, StringComparison.Ordinal))
        {
            problems.Add($"docker-compose.yml: {node} {key} is '{actual}', expected '{expected}'");
        }
    }

    private static Dictionary<string, string> Environment(YamlMappingNode service, string name, List<string> problems)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        switch (Child(service, "environment"))
        {
            case YamlMappingNode map:
                foreach (var (key, value) in map.Children)
                {
                    env[Text(key)] = Text(value);
                }

                break;
            case YamlSequenceNode list:
                foreach (var item in list.Children.Select(Text))
                {
                    var equals = item.IndexOf('=', StringComparison.Ordinal);
                    env[equals < 0 ? item : item[..equals]] = equals < 0 ? "" : item[(equals + 1)..];
                }

                break;
            default:
                problems.Add($"docker-compose.yml: {name} has no environment");
                break;
        }

        return env;
    }

    private static YamlMappingNode? Service(YamlMappingNode services, string name) => Child(services, name) as YamlMappingNode;

    private static YamlNode? Child(YamlNode? node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    private static string? Scalar(YamlNode? node, string key) => Child(node, key) is YamlScalarNode s ? s.Value : null;

    private static List<string> Sequence(YamlNode? node) => node switch
    {
        YamlSequenceNode list => list.Children.Select(Text).ToList(),
        YamlScalarNode scalar => [scalar.Value ?? ""],
        _ => [],
    };

    private static string Text(YamlNode node) => node is YamlScalarNode s ? s.Value ?? "" : node.ToString();

    /// <summary>Compose and nginx durations: <c>30s</c>, <c>2m</c>, <c>1h</c>, <c>1m30s</c>; a bare number is seconds.</summary>
    private static TimeSpan? Duration(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var bare))
        {
            return TimeSpan.FromSeconds(bare);
        }

        var parts = DurationRegex().Matches(value);
        if (parts.Count == 0 || string.Concat(parts.Select(p => p.Value)) != value)
        {
            return null;
        }

        return parts.Aggregate(TimeSpan.Zero, (sum, p) =>
        {
            var n = int.Parse(p.Groups[1].Value, CultureInfo.InvariantCulture);
            return sum + p.Groups[2].Value switch
            {
                "h" => TimeSpan.FromHours(n),
                "m" => TimeSpan.FromMinutes(n),
                "ms" => TimeSpan.FromMilliseconds(n),
                _ => TimeSpan.FromSeconds(n),
            };
        });
    }

    [GeneratedRegex(@"ASPNETCORE_HTTP_PORTS=(\d+)")]
    private static partial Regex HttpPortsRegex();

    [GeneratedRegex(@"^EXPOSE\s+(.+)$", RegexOptions.Multiline)]
    private static partial Regex ExposeRegex();

    [GeneratedRegex(@"^\$\{MESSAGING_SIGNING_KEY:\?[^}]+\}$")]
    private static partial Regex SigningKeyRegex();

    [GeneratedRegex(@"\d+(\.\d+){1,2}")]
    private static partial Regex VersionRegex();

    [GeneratedRegex(@"\bupstream\s+(\S+)\s*\{([^}]*)\}")]
    private static partial Regex UpstreamRegex();

    [GeneratedRegex(@"^\s*server\s+([^\s;]+)", RegexOptions.Multiline)]
    private static partial Regex ServerRegex();

    [GeneratedRegex(@"^\s*(ip_hash|hash|sticky|least_conn|least_time|random)\b", RegexOptions.Multiline)]
    private static partial Regex StickyRegex();

    [GeneratedRegex(@"^\s*zone\s+\S+", RegexOptions.Multiline)]
    private static partial Regex ZoneRegex();

    [GeneratedRegex(@"^\s*log_format\s+(\S+)\s+([^;]+);", RegexOptions.Multiline)]
    private static partial Regex LogFormatRegex();

    [GeneratedRegex(@"^\s*access_log\s+([^;]+);", RegexOptions.Multiline)]
    private static partial Regex AccessLogRegex();

    [GeneratedRegex(@"\$request(?![_a-z])|\$request_uri|\$args|\$query_string|\$arg_\w+")]
    private static partial Regex QueryVariableRegex();

    [GeneratedRegex(@"(\d+)(ms|h|m|s)")]
    private static partial Regex DurationRegex();
}
