using System.Globalization;
using System.Text.RegularExpressions;

namespace MessagingServer.ProfileReport;

/// <summary>
/// Two <c>dotnet-gcdump report</c> listings of one process (before and after N more users connected): what the
/// live heap grew by, per user, by part of the server and by type. Lines that are not a type row are skipped.
/// </summary>
public static partial class HeapReport
{
    public static IReadOnlyList<(string Part, string[] Marks)> Parts { get; } =
    [
        ("auth principal (JWT, claims)", ["Claims", "IdentityModel", "JsonWebToken"]),
        ("Akka.Streams graphs (socket in and out)", ["Akka.Streams", "GraphInterpreter", "StageActor", "FunctionRef", "SessionSocketBridge", "SocketOutbox", "IncomingFrame", "WebSocketMessageReader", "ServerFrame"]),
        ("actors (cells, mailboxes, receive handlers)", ["Envelope", "Akka.Actor", "Akka.Dispatch", "Akka.Event", "Akka.Tools.MatchHandler", "Akka.Pattern", "Akka.Util", "UserHub", "ChatSessionActor"]),
        ("session state and persistence", ["MessagingServer.Domain", "MessagingServer.Sessions", "Akka.Persistence"]),
        ("Kestrel connection, HTTP and WebSocket", ["Microsoft.AspNetCore", "Kestrel", "System.IO.Pipelines", "System.Net.", "Microsoft.Extensions.Primitives"]),
        ("diagnostics (Activity, logging)", ["System.Diagnostics.Activity", "DiagNode", "OpenTelemetry", "Serilog", "Logging"]),
        ("server socket plumbing", ["MessagingServer"]),
    ];

    /// <summary>Type name to (bytes, objects) from one listing.</summary>
    public static Dictionary<string, (long Bytes, long Count)> Parse(IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var types = new Dictionary<string, (long Bytes, long Count)>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            var row = Row().Match(line);
            if (!row.Success
                || !long.TryParse(row.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var size)
                || !long.TryParse(row.Groups[2].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var count))
            {
                continue;
            }

            var name = Annotation().Replace(row.Groups[3].Value, "").Trim();
            var (bytes, objects) = types.GetValueOrDefault(name);
            types[name] = (bytes + (size * count), objects + count);
        }

        return types;
    }

    public static string PartOf(string type) =>
        Parts.FirstOrDefault(p => p.Marks.Any(m => type.Contains(m, StringComparison.Ordinal))).Part
        ?? "other (strings, arrays, delegates, tasks, collections)";

    public static string Render(IEnumerable<string> before, IEnumerable<string> after, int users)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(users, 1);
        var a = Parse(before);
        var b = Parse(after);
        var parts = new Dictionary<string, (long Bytes, long Count)>(StringComparer.Ordinal);
        var growth = new List<(string Type, long Bytes, long Count)>();
        foreach (var type in a.Keys.Union(b.Keys))
        {
            var bytes = b.GetValueOrDefault(type).Bytes - a.GetValueOrDefault(type).Bytes;
            var count = b.GetValueOrDefault(type).Count - a.GetValueOrDefault(type).Count;
            growth.Add((type, bytes, count));
            var part = PartOf(type);
            var (pb, pc) = parts.GetValueOrDefault(part);
            parts[part] = (pb + bytes, pc + count);
        }

        string PerUser(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / users:0.0} KiB");
        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"live heap growth per user: {PerUser(growth.Sum(g => g.Bytes))}, {growth.Sum(g => g.Count) / (double)users:0} objects"),
            "",
            "| part | heap per user | objects per user |",
            "|---|---|---|",
        };
        lines.AddRange(parts.OrderByDescending(p => p.Value.Bytes).Select(p => string.Create(
            CultureInfo.InvariantCulture, $"| {p.Key} | {PerUser(p.Value.Bytes)} | {p.Value.Count / (double)users:0.0} |")));
        lines.AddRange(["", "| type | bytes per user | objects per user |", "|---|---|---|"]);
        lines.AddRange(growth.OrderByDescending(g => g.Bytes).Take(30).Select(g => string.Create(
            CultureInfo.InvariantCulture, $"| {Tally.Cell(g.Type)} | {g.Bytes / (double)users:0} | {g.Count / (double)users:0.00} |")));
        return string.Join('\n', lines);
    }

    [GeneratedRegex(@"^\s*([\d,]+)\s+([\d,]+)\s+(\S.*?)(\s+\[[^\]]*\])?\s*$")]
    private static partial Regex Row();

    [GeneratedRegex(@"\s*\((Bytes|Count) > [^)]*\)")]
    private static partial Regex Annotation();
}
