using MessagingServer.Commands;
using MessagingServer.Hosting;
using Microsoft.Extensions.Options;

if (CommandLine.TryRun(args) is { } command)
{
    return await command;
}

try
{
    var app = MessagingServerApp.Build(args);
    await app.RunAsync();
    return 0;
}
catch (OperationCanceledException)
{
    // Stopped (SIGTERM, Ctrl+C) while still starting, e.g. waiting to join the cluster: a clean stop, not a crash.
    return 0;
}
catch (Exception e) when (MessagingServer.Persistence.StorageLockedException.Find(e) is { } locked)
{
    // A second server on the same SQLite file: say which file and what to do, exit non-zero.
    await Console.Error.WriteLineAsync($"MessagingServer cannot start: {locked.Message}");
    return 1;
}
catch (OptionsValidationException e)
{
    // Bad configuration (e.g. no Auth:SigningKey outside Development): say what to fix, exit non-zero.
    foreach (var failure in e.Failures)
    {
        await Console.Error.WriteLineAsync($"MessagingServer cannot start: {failure}");
    }

    return 1;
}

/// <summary>Entry point type, visible to the test projects.</summary>
public partial class Program;
