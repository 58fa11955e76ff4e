using System.Globalization;
using System.Runtime.InteropServices;

namespace MessagingServer.Bench.Processes;

/// <summary>What the numbers were taken on.</summary>
public sealed record MachineInfo(int Cores, string Memory, string Os, string Runtime, string? OpenFiles, string Commit)
{
    public static MachineInfo Read(string repoRoot, (ulong Soft, ulong Hard)? openFiles)
    {
        return new MachineInfo(
            Environment.ProcessorCount,
            MemTotal(),
            OsName(),
            $"{RuntimeInformation.FrameworkDescription} ({RuntimeInformation.RuntimeIdentifier})",
            openFiles is { } l ? string.Create(CultureInfo.InvariantCulture, $"{l.Soft} soft / {l.Hard} hard") : null,
            GitCommit(repoRoot));
    }

    private static string MemTotal()
    {
        try
        {
            var kib = ProcStats.ParseStatusKib(File.ReadAllText("/proc/meminfo"), "MemTotal");
            return kib is { } k ? string.Create(CultureInfo.InvariantCulture, $"{k / 1024.0 / 1024.0:0.0} GiB") : "unknown";
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static string OsName()
    {
        try
        {
            foreach (var line in File.ReadAllLines("/etc/os-release"))
            {
                if (line.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))
                {
                    return line["PRETTY_NAME=".Length..].Trim('"') + $", kernel {Environment.OSVersion.Version}";
                }
            }
        }
        catch (IOException)
        {
        }

        return RuntimeInformation.OSDescription;
    }

    private static string GitCommit(string repoRoot)
    {
        try
        {
            var head = File.ReadAllText(Path.Combine(GitDir(repoRoot), "HEAD")).Trim();
            if (!head.StartsWith("ref: ", StringComparison.Ordinal))
            {
                return head[..Math.Min(12, head.Length)];
            }

            var reference = head[5..];
            var branch = reference.Replace("refs/heads/", "", StringComparison.Ordinal);
            var commonDir = CommonDir(GitDir(repoRoot));
            var refFile = Path.Combine(commonDir, reference);
            var sha = File.Exists(refFile) ? File.ReadAllText(refFile).Trim() : PackedRef(commonDir, reference);
            return sha is null ? branch : $"{branch} {sha[..Math.Min(12, sha.Length)]}";
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    /// <summary>The .git folder, or (in a worktree) the folder its <c>.git</c> file points at.</summary>
    private static string GitDir(string repoRoot)
    {
        var dotGit = Path.Combine(repoRoot, ".git");
        if (File.Exists(dotGit))
        {
            var line = File.ReadAllText(dotGit).Trim();
            return line.StartsWith("gitdir: ", StringComparison.Ordinal) ? Path.GetFullPath(line[8..], repoRoot) : dotGit;
        }

        return dotGit;
    }

    private static string CommonDir(string gitDir)
    {
        var file = Path.Combine(gitDir, "commondir");
        return File.Exists(file) ? Path.GetFullPath(File.ReadAllText(file).Trim(), gitDir) : gitDir;
    }

    private static string? PackedRef(string commonDir, string reference)
    {
        var packed = Path.Combine(commonDir, "packed-refs");
        return File.Exists(packed)
            ? File.ReadLines(packed).Select(l => l.Split(' ')).FirstOrDefault(p => p.Length == 2 && p[1] == reference)?[0]
            : null;
    }
}
