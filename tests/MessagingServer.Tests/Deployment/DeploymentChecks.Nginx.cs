using System.Text.RegularExpressions;

namespace MessagingServer.Tests.Deployment;

public static partial class DeploymentChecks
{
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
}
