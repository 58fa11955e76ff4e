namespace MessagingServer.EndToEnd.Infrastructure;

/// <summary>Temporary folders for a test's data, under one parent in the system's temp folder.</summary>
public static class TestFolders
{
    public static string Root { get; } = Path.Combine(Path.GetTempPath(), "messaging-server-tests");

    public static string Create(string purpose)
    {
        var path = Path.Combine(Root, $"{purpose}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    public static void Delete(string? path)
    {
        if (path is null || !Directory.Exists(path))
        {
            return;
        }

        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a file still open elsewhere stays until the OS cleans its temp folder.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
