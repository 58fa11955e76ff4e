using System.Net;
using System.Text.RegularExpressions;
using MessagingServer.EndToEnd.Infrastructure;

namespace MessagingServer.EndToEnd.WebConsole;

/// <summary>How <c>/app/</c> is served: from the assembly, whatever the content root, with safe headers.</summary>
public sealed partial class WebConsoleServingSpecs : IAsyncLifetime
{
    private RunningServer _server = null!;

    public async Task InitializeAsync() => _server = await RunningServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task The_bare_path_redirects_to_the_trailing_slash_keeping_the_query()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _server.BaseAddress };

        var response = await client.GetAsync("/app?user=alice");

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal("/app/?user=alice", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task The_page_is_served_with_a_same_origin_policy_and_revalidated_by_etag()
    {
        var response = await _server.Http.GetAsync("/app/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<title>MessagingServer console</title>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.StartsWith("default-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.True(response.Headers.CacheControl?.NoCache);

        using var again = new HttpRequestMessage(HttpMethod.Get, "/app/");
        again.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await _server.Http.SendAsync(again)).StatusCode);

        using var head = new HttpRequestMessage(HttpMethod.Head, "/app/app.css");
        Assert.Equal(HttpStatusCode.OK, (await _server.Http.SendAsync(head)).StatusCode);
    }

    [Fact]
    public async Task Every_file_the_page_loads_is_served_with_its_type_and_matches_the_source()
    {
        var source = Path.Combine(BrowserScript.Folder, "..", "..", "src", "MessagingServer", "wwwroot", "app");
        // The client library (clients/js/src) is served as /app/client/.
        var library = Path.Combine(BrowserScript.Folder, "..", "..", "clients", "js", "src");
        string SourceOf(string file) => file.StartsWith("client/", StringComparison.Ordinal) ? Path.Combine(library, file["client/".Length..]) : Path.Combine(source, file);
        var onDisk = Directory.GetFiles(source, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(source, f).Replace('\\', '/'))
            .Concat(Directory.GetFiles(library, "*.js").Select(f => "client/" + Path.GetFileName(f)))
            .Order(StringComparer.Ordinal).ToList();
        var loaded = new SortedSet<string>(StringComparer.Ordinal) { "index.html" };
        var queue = new Queue<string>(loaded);
        while (queue.TryDequeue(out var file))
        {
            var response = await _server.Http.GetAsync($"/app/{file}");
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{file}: {response.StatusCode}");
            var text = await response.Content.ReadAsStringAsync();
            Assert.Equal(await File.ReadAllTextAsync(SourceOf(file)), text);
            var expectedType = Path.GetExtension(file) switch
            {
                ".html" => "text/html",
                ".css" => "text/css",
                ".js" => "text/javascript",
                var other => throw new InvalidOperationException($"unexpected file type {other}"),
            };
            Assert.Equal(expectedType, response.Content.Headers.ContentType?.MediaType);
            Assert.DoesNotMatch(ExternalUrl(), text);
            foreach (Match reference in LocalReference().Matches(text))
            {
                // Relative to the folder of the file that refers to it.
                var folder = file.Contains('/') ? file[..(file.LastIndexOf('/') + 1)] : string.Empty;
                var referenced = folder + reference.Groups["file"].Value;
                if (loaded.Add(referenced))
                {
                    queue.Enqueue(referenced);
                }
            }
        }

        Assert.Equal(onDisk, loaded.ToList());
    }

    [Fact]
    public async Task An_unknown_file_is_a_404_problem()
    {
        foreach (var path in new[] { "/app/nope.js", "/app/../appsettings.json", "/app/%2e%2e/appsettings.json", "/app/sub/" })
        {
            var response = await _server.Http.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    // href="app.css", src="app.js", from './store.js'
    [GeneratedRegex(@"(?:href|src)=""(?<file>[\w.-]+\.(?:css|js))""|from\s+'\./(?<file>[\w./-]+\.js)'")]
    private static partial Regex LocalReference();

    [GeneratedRegex(@"(?:src|href)=""(?:https?:)?//|@import\s+url\(|url\(\s*['""]?https?:")]
    private static partial Regex ExternalUrl();
}
