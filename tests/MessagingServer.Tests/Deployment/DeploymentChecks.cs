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

    [GeneratedRegex(@"(\d+)(ms|h|m|s)")]
    private static partial Regex DurationRegex();
}
