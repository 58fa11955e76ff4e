using MessagingServer.Commands;
using MessagingServer.Hosting;

if (CommandLine.TryRun(args) is { } command)
{
    return await command;
}

var app = MessagingServerApp.Build(args);
await app.RunAsync();
return 0;

/// <summary>Entry point type, visible to the test projects.</summary>
public partial class Program;
