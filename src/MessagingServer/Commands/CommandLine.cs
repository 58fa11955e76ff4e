namespace MessagingServer.Commands;

/// <summary>Sub-commands of the server binary; anything else starts the server.</summary>
internal static class CommandLine
{
    public static Task<int>? TryRun(string[] args) => args.FirstOrDefault() switch
    {
        HealthCheckCommand.Name => HealthCheckCommand.RunAsync(args),
        TokenCommand.Name => TokenCommand.RunAsync(args),
        _ => null,
    };
}
