using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;

namespace MessagingServer.Hosting;

/// <summary>
/// The repository keeps <c>appsettings.json</c> at its top level; the build copies it beside the
/// binaries. When the content root (the project folder under <c>dotnet run</c>) has no copy of its
/// own, the copy beside the binaries is read in its place, at the same precedence, so environment
/// variables and the command line still override it.
/// </summary>
internal static class TopLevelAppSettings
{
    public static void AddTopLevelAppSettings(this ConfigurationManager configuration, IWebHostEnvironment environment)
    {
        var sources = configuration.Sources;
        foreach (var name in new[] { "appsettings.json", $"appsettings.{environment.EnvironmentName}.json" })
        {
            if (File.Exists(Path.Combine(environment.ContentRootPath, name))
                || !File.Exists(Path.Combine(AppContext.BaseDirectory, name)))
            {
                continue;
            }

            var existing = sources.OfType<JsonConfigurationSource>()
                .FirstOrDefault(s => string.Equals(s.Path, name, StringComparison.OrdinalIgnoreCase));
            var replacement = new JsonConfigurationSource
            {
                Path = name,
                Optional = true,
                ReloadOnChange = false,
                FileProvider = new PhysicalFileProvider(AppContext.BaseDirectory),
            };
            if (existing is null)
            {
                sources.Add(replacement);
            }
            else
            {
                sources[sources.IndexOf(existing)] = replacement;
            }
        }
    }
}
