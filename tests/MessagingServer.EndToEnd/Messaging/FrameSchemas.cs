using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace MessagingServer.EndToEnd.Messaging;

/// <summary>The frames' JSON Schemas of <c>docs/schemas</c> (one per frame type), read once from the source tree.</summary>
internal static class FrameSchemas
{
    private static readonly Lazy<IReadOnlyDictionary<string, JsonSchema>> Schemas = new(Load);

    public static IReadOnlyCollection<string> Types => Schemas.Value.Keys.ToList();

    /// <summary>The problems of a frame against the schema of its <c>type</c>; empty when it validates.</summary>
    public static IReadOnlyList<string> Problems(string frame)
    {
        using var document = JsonDocument.Parse(frame);
        var type = document.RootElement.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "(no type)";
        if (!Schemas.Value.TryGetValue(type, out var schema))
        {
            return [$"no schema in docs/schemas for type '{type}'"];
        }

        var result = schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return result.IsValid
            ? []
            : [.. (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} {e.Key}: {e.Value}"))];
    }

    /// <summary>Fails with the frame and every problem when it does not validate.</summary>
    public static void AssertValid(string frame)
    {
        var problems = Problems(frame);
        Assert.True(problems.Count == 0, $"{frame}\ndoes not match its schema:\n  {string.Join("\n  ", problems)}");
    }

    public static string TypeOf(string frame) => (string)JsonNode.Parse(frame)!["type"]!;

    private static IReadOnlyDictionary<string, JsonSchema> Load()
    {
        var folder = Folder();
        var schemas = new Dictionary<string, JsonSchema>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(folder, "*.schema.json"))
        {
            var type = Path.GetFileName(file)[..^".schema.json".Length];
            schemas[type] = JsonSchema.FromText(File.ReadAllText(file));
        }

        return schemas;
    }

    private static string Folder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "docs", "schemas");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"docs/schemas not found above {AppContext.BaseDirectory}");
    }
}
