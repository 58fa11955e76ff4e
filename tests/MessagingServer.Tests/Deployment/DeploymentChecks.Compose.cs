using System.Data.Common;
using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace MessagingServer.Tests.Deployment;

public static partial class DeploymentChecks
{
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

    [GeneratedRegex(@"^\$\{MESSAGING_SIGNING_KEY:\?[^}]+\}$")]
    private static partial Regex SigningKeyRegex();

    [GeneratedRegex(@"\d+(\.\d+){1,2}")]
    private static partial Regex VersionRegex();
}
