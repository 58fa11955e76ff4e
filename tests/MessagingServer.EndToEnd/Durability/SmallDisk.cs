using System.Diagnostics;

namespace MessagingServer.EndToEnd.Durability;

/// <summary>
/// A tmpfs of a few MB that the test mounts itself (root only), with a filler file that takes every free byte and
/// gives them back. <see cref="TryMount"/> is null, with the reason, where mounting is not allowed.
/// </summary>
internal sealed class SmallDisk : IDisposable
{
    private SmallDisk(string path) => Path = path;

    public string Path { get; }

    private string Filler => System.IO.Path.Combine(Path, "filler");

    public static SmallDisk? TryMount(string folder, int megabytes, out string? whyNot)
    {
        Directory.CreateDirectory(folder);
        var (code, output) = Run("mount", "-t", "tmpfs", "-o", $"size={megabytes}m", "tmpfs", folder);
        whyNot = code == 0 ? null : $"cannot mount a tmpfs here (mount exited {code}: {output.Trim()}); the disk-full spec needs root";
        return code == 0 ? new SmallDisk(folder) : null;
    }

    /// <summary>Writes the filler until the disk refuses another byte.</summary>
    public void Fill()
    {
        var chunk = new byte[4096];
        using var file = new FileStream(Filler, FileMode.Append, FileAccess.Write, FileShare.None, 1);
        try
        {
            while (true)
            {
                file.Write(chunk);
                file.Flush();
            }
        }
        catch (IOException)
        {
            // ENOSPC: the disk is full, which is the point. Single bytes fill the last partial block.
        }

        try
        {
            while (true)
            {
                file.WriteByte(1);
                file.Flush();
            }
        }
        catch (IOException)
        {
        }
    }

    public void Free() => File.Delete(Filler);

    public void Dispose()
    {
        Run("umount", "-l", Path);
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static (int Code, string Output) Run(string command, params string[] arguments)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardError.ReadToEnd() + process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }
}
