using MessagingServer.Bench.Cli;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl+C stops the run cleanly (servers are stopped); a second one kills the tool.
    e.Cancel = !cancel.IsCancellationRequested;
    cancel.Cancel();
};
return await BenchCli.RunAsync(args, Console.Out, cancel.Token);
