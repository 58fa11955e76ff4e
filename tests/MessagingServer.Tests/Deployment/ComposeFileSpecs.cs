namespace MessagingServer.Tests.Deployment;

/// <summary>
/// docker-compose.yml, deploy/nginx.conf and the Dockerfile cannot be run here (no Docker engine), so they are
/// read: the repository's files must pass <see cref="DeploymentChecks"/>, and copies broken one way each must not.
/// </summary>
public sealed class ComposeFileSpecs
{
    private static readonly string Root = RepositoryRoot();
    private static readonly string Compose = File.ReadAllText(Path.Combine(Root, "docker-compose.yml"));
    private static readonly string Nginx = File.ReadAllText(Path.Combine(Root, "deploy", "nginx.conf"));
    private static readonly string Dockerfile = File.ReadAllText(Path.Combine(Root, "Dockerfile"));

    [Fact]
    public void The_repository_files_describe_three_clustered_nodes_on_postgres_behind_round_robin_nginx()
    {
        Assert.Empty(DeploymentChecks.Problems(Compose, Nginx, Dockerfile));
    }

    [Fact]
    public void The_compose_file_holds_the_expected_values_themselves()
    {
        // A second look at the values, independent of the checker's own parsing.
        Assert.Equal(3, Count(Compose, "Persistence__Provider: PostgreSql"));
        Assert.Equal(3, Count(Compose, "Cluster__Hostname: 0.0.0.0"));
        Assert.Equal(3, Count(Compose, "Cluster__Port: \"4053\""));
        Assert.Equal(3, Count(Compose, "Cluster__SeedNodes__0: akka.tcp://messaging@node1:4053"));
        Assert.Equal(3, Count(Compose, "Cluster__SeedNodes__1: akka.tcp://messaging@node2:4053"));
        Assert.Equal(3, Count(Compose, "Auth__SigningKey: \"${MESSAGING_SIGNING_KEY:?"));
        foreach (var node in DeploymentChecks.NodeServices)
        {
            Assert.Equal(1, Count(Compose, $"Cluster__PublicHostname: {node}\n"));
            Assert.Equal(1, Count(Nginx, $"server {node}:8080 "));
        }

        Assert.Contains("EXPOSE 8080 4053", Dockerfile, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Cluster__PublicHostname: node2\n", "Cluster__PublicHostname: node9\n", "node2 Cluster__PublicHostname is 'node9', expected 'node2'")]
    [InlineData("Cluster__SeedNodes__1: akka.tcp://messaging@node2:4053", "Cluster__SeedNodes__1: akka.tcp://messaging@node2:4054", "uses port 4054, but node2 listens on Cluster__Port 4053")]
    [InlineData("Cluster__SeedNodes__1: akka.tcp://messaging@node2:4053", "Cluster__SeedNodes__1: akka.tcp://messaging@seed:4053", "names 'seed', which is not a node service")]
    [InlineData("Cluster__SeedNodes__0: akka.tcp://messaging@node1:4053", "Cluster__SeedNodes__0: akka.tcp://messaging@node3:4053", "first seed is 'akka.tcp://messaging@node3:4053'")]
    [InlineData("Persistence__Provider: PostgreSql", "Persistence__Provider: Sqlite", "node1 Persistence__Provider is 'Sqlite', expected 'PostgreSql'")]
    [InlineData("Cluster__Hostname: 0.0.0.0", "Cluster__Hostname: 127.0.0.1", "node1 Cluster__Hostname is '127.0.0.1', expected '0.0.0.0'")]
    [InlineData("${MESSAGING_SIGNING_KEY:?", "${MESSAGING_SIGNING_KEY:-", "Auth__SigningKey must be ${MESSAGING_SIGNING_KEY:?message}")]
    [InlineData("Host=postgres;", "Host=localhost;", "ConnectionStrings__Messaging Host is 'localhost', not the postgres service")]
    [InlineData("pg_isready", "true", "postgres has no pg_isready healthcheck")]
    [InlineData("condition: service_healthy\n      # Starts after node1", "condition: service_started\n      # Starts after node1", "node2 does not wait for postgres to be healthy")]
    [InlineData("      node2:\n        condition: service_started", "      node1:\n        condition: service_started", "node3 does not depend on node2")]
    [InlineData("stop_grace_period: 30s\n    # A node downed", "stop_grace_period: 5s\n    # A node downed", "node1 stop_grace_period must give a graceful leave at least 20s, is '5s'")]
    [InlineData("/health/ready\"]\n      interval: 10s\n      timeout: 3s\n      retries: 3\n      start_period: 40s\n    # SIGTERM", "/health/live\"]\n      interval: 10s\n      timeout: 3s\n      retries: 3\n      start_period: 40s\n    # SIGTERM", "node1 healthcheck does not ask /health/ready")]
    [InlineData("image: nginx:1.28", "image: nginx:1.25", "must be nginx 1.27.3 or newer")]
    public void A_compose_file_broken_one_way_is_refused_with_the_reason(string original, string broken, string expectedProblem)
    {
        Assert.Contains(original, Compose, StringComparison.Ordinal);
        var problems = DeploymentChecks.Problems(ReplaceFirst(Compose, original, broken), Nginx, Dockerfile);

        Assert.Contains(problems, p => p.Contains(expectedProblem, StringComparison.Ordinal));
    }

    [Fact]
    public void A_fourth_node_in_compose_is_noticed()
    {
        var fourth = Compose.Replace("  nginx:\n", "  node4:\n    image: messaging-server:local\n\n  nginx:\n", StringComparison.Ordinal);

        var problems = DeploymentChecks.Problems(fourth, Nginx, Dockerfile);

        Assert.Contains("docker-compose.yml: node services are [node1, node2, node3, node4], expected [node1, node2, node3]", problems);
    }

    [Theory]
    [InlineData("        zone messaging_nodes 64k;\n", "        ip_hash;\n        zone messaging_nodes 64k;\n", "'ip_hash' makes the balancing other than plain round-robin")]
    [InlineData("        zone messaging_nodes 64k;\n", "        hash $arg_access_token consistent;\n        zone messaging_nodes 64k;\n", "'hash' makes the balancing other than plain round-robin")]
    [InlineData("        server node3:8080 resolve max_fails=1 fail_timeout=5s;\n", "", "upstream messaging_nodes lists [node1:8080, node2:8080], expected exactly [node1:8080, node2:8080, node3:8080]")]
    [InlineData("server node2:8080", "server node2:80", "expected exactly [node1:8080, node2:8080, node3:8080]")]
    [InlineData("proxy_set_header Upgrade $http_upgrade;", "", "no 'proxy_set_header Upgrade $http_upgrade;'")]
    [InlineData("proxy_set_header Connection $connection_upgrade;", "proxy_set_header Connection \"\";", "no 'proxy_set_header Connection' passing the upgrade")]
    [InlineData("proxy_http_version 1.1;", "", "no 'proxy_http_version 1.1;'")]
    [InlineData("proxy_read_timeout 3600s;", "proxy_read_timeout 60s;", "proxy_read_timeout must be long (at least 10 minutes)")]
    [InlineData("proxy_set_header Host $http_host;", "proxy_set_header Host $host;", "Host must be passed as sent")]
    [InlineData("        zone messaging_nodes 64k;\n", "", "resolves its servers but has no zone")]
    [InlineData("\"$request_method $uri $server_protocol\"", "\"$request\"", "log_format messaging logs $request, which carries the query string")]
    [InlineData("$uri $server_protocol", "$request_uri $server_protocol", "log_format messaging logs $request_uri")]
    [InlineData("    access_log /var/log/nginx/access.log messaging;\n", "", "no access_log with a format of its own")]
    [InlineData("access_log /var/log/nginx/access.log messaging;", "access_log /var/log/nginx/access.log;", "access_log uses format 'combined'")]
    public void An_nginx_config_broken_one_way_is_refused_with_the_reason(string original, string broken, string expectedProblem)
    {
        Assert.Contains(original, Nginx, StringComparison.Ordinal);
        var problems = DeploymentChecks.Problems(Compose, ReplaceFirst(Nginx, original, broken), Dockerfile);

        Assert.Contains(problems, p => p.Contains(expectedProblem, StringComparison.Ordinal));
    }

    [Fact]
    public void A_dockerfile_that_does_not_expose_the_cluster_port_is_refused()
    {
        var problems = DeploymentChecks.Problems(Compose, Nginx, Dockerfile.Replace("EXPOSE 8080 4053", "EXPOSE 8080", StringComparison.Ordinal));

        Assert.Contains("Dockerfile: EXPOSE lacks 4053", problems);
    }

    [Fact]
    public void The_docker_build_context_leaves_out_host_build_output_and_local_data()
    {
        var ignored = File.ReadAllLines(Path.Combine(Root, ".dockerignore"))
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .ToHashSet(StringComparer.Ordinal);

        // bin/ alone would match only the top folder: the projects' own bin/ and obj/ are under src/ and tests/.
        Assert.Superset(new HashSet<string>(StringComparer.Ordinal) { "**/bin/", "**/obj/", "**/data/", "**/node_modules/", ".git" }, ignored);
    }

    private static int Count(string text, string value)
    {
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static string ReplaceFirst(string text, string original, string replacement)
    {
        var at = text.IndexOf(original, StringComparison.Ordinal);
        return text[..at] + replacement + text[(at + original.Length)..];
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "MessagingServer.sln")) && File.Exists(Path.Combine(folder.FullName, "docker-compose.yml")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"no repository root with docker-compose.yml above {AppContext.BaseDirectory}");
    }
}
