using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Net.Http.Headers;

namespace MessagingServer.Endpoints;

/// <summary>
/// <c>/app/</c>: the web console, a static page (HTML, CSS, ES modules) that speaks the same socket and
/// REST API as any other front end. The files under <c>wwwroot/app</c> are embedded in this assembly, so
/// the console is served the same from <c>dotnet run</c>, the published output and the tests' bin folder,
/// whatever the content root or environment.
/// </summary>
public static class ConsoleEndpoints
{
    public const string BasePath = "/app";

    // Same-origin only: the page runs and talks only to this server ('self' covers the ws:// and wss:// of
    // the same host in CSP 3). The one exception is images from https:// anywhere: MMS media shown inline.
    private const string ContentSecurityPolicy =
        "default-src 'self'; connect-src 'self'; img-src 'self' data: https:; style-src 'self'; script-src 'self'; " +
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static RouteHandlerBuilder MapWebConsole(this IEndpointRouteBuilder endpoints)
    {
        var assets = ConsoleAssets.Load(typeof(ConsoleEndpoints).Assembly);
        return endpoints.MapMethods(BasePath + "/{**file}", [HttpMethods.Get, HttpMethods.Head], (HttpContext context, string? file) =>
            {
                if (string.IsNullOrEmpty(file) && !context.Request.Path.Value!.EndsWith('/'))
                {
                    // Relative URLs in the page (app.css, ../api/...) need the trailing slash.
                    return Results.Redirect($"{context.Request.PathBase}{BasePath}/{context.Request.QueryString}", permanent: true);
                }

                if (!assets.TryGet(string.IsNullOrEmpty(file) ? "index.html" : file, out var asset))
                {
                    return Problems.Result(StatusCodes.Status404NotFound, "not_found", "No such file in the web console");
                }

                var headers = context.Response.Headers;
                headers.CacheControl = "no-cache";
                headers.XContentTypeOptions = "nosniff";
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers["Referrer-Policy"] = "no-referrer";
                return Results.Bytes(asset.Content, asset.ContentType, entityTag: asset.ETag);
            })
            .AllowAnonymous()
            .ExcludeFromDescription();
    }

    /// <summary>The console's files, read once from the assembly's <c>WebConsole/...</c> resources.</summary>
    internal sealed class ConsoleAssets
    {
        public const string ResourcePrefix = "WebConsole/";

        private readonly FrozenDictionary<string, ConsoleAsset> _files;

        private ConsoleAssets(FrozenDictionary<string, ConsoleAsset> files) => _files = files;

        public IEnumerable<string> Names => _files.Keys;

        public bool TryGet(string name, out ConsoleAsset asset) => _files.TryGetValue(name, out asset!);

        public static ConsoleAssets Load(Assembly assembly)
        {
            var types = new FileExtensionContentTypeProvider();
            var files = new Dictionary<string, ConsoleAsset>(StringComparer.Ordinal);
            foreach (var resource in assembly.GetManifestResourceNames())
            {
                var name = resource.Replace('\\', '/');
                if (!name.StartsWith(ResourcePrefix, StringComparison.Ordinal))
                {
                    continue;
                }

                using var stream = assembly.GetManifestResourceStream(resource)!;
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                var content = copy.ToArray();
                var path = name[ResourcePrefix.Length..];
                var contentType = types.TryGetContentType(path, out var type) ? type : "application/octet-stream";
                if (contentType.StartsWith("text/", StringComparison.Ordinal) || contentType.EndsWith("json", StringComparison.Ordinal))
                {
                    contentType += "; charset=utf-8";
                }

                var hash = Convert.ToBase64String(SHA256.HashData(content), 0, 12).Replace('+', '-').Replace('/', '_');
                files[path] = new ConsoleAsset(content, contentType, new EntityTagHeaderValue($"\"{hash}\""));
            }

            if (!files.ContainsKey("index.html"))
            {
                throw new InvalidOperationException(
                    $"The web console is not embedded in {assembly.GetName().Name}: no {ResourcePrefix}index.html resource (see MessagingServer.csproj).");
            }

            return new ConsoleAssets(files.ToFrozenDictionary(StringComparer.Ordinal));
        }
    }

    internal sealed record ConsoleAsset(byte[] Content, string ContentType, EntityTagHeaderValue ETag);
}
