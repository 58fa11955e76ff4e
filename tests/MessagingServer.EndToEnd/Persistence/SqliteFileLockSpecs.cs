using MessagingServer.EndToEnd.Infrastructure;
using MessagingServer.Persistence;

namespace MessagingServer.EndToEnd.Persistence;

public sealed class SqliteFileLockSpecs
{
    [Fact]
    public async Task A_second_server_on_the_same_sqlite_file_refuses_to_start_and_names_the_file()
    {
        var folder = TestFolders.Create("lock");
        try
        {
            var path = Path.Combine(folder, "messaging.db");
            var settings = new Dictionary<string, string?> { ["Persistence:SqlitePath"] = path };
            await using (var first = await RunningServer.StartAsync(settings))
            {
                var error = await Assert.ThrowsAnyAsync<Exception>(() => RunningServer.StartAsync(settings));

                var locked = StorageLockedException.Find(error);
                Assert.NotNull(locked);
                Assert.Contains(path, locked.Message, StringComparison.Ordinal);
                using var stillServing = await first.Http.GetAsync("/health/ready");
                Assert.Equal(System.Net.HttpStatusCode.OK, stillServing.StatusCode);
            }

            await using var after = await RunningServer.StartAsync(settings);
            using var ready = await after.Http.GetAsync("/health/ready");
            Assert.Equal(System.Net.HttpStatusCode.OK, ready.StatusCode);
        }
        finally
        {
            TestFolders.Delete(folder);
        }
    }

    [Fact]
    public async Task A_server_killed_with_sigkill_leaves_no_lock_that_blocks_the_restart_and_a_second_process_exits_1()
    {
        var folder = TestFolders.Create("lock-process");
        try
        {
            var environment = new Dictionary<string, string> { ["Persistence__SqlitePath"] = Path.Combine(folder, "messaging.db") };
            var killed = await ServerProcess.StartAsync(environment);
            killed.KillHard();
            await killed.WaitForExitAsync(TimeSpan.FromSeconds(30));
            Assert.True(File.Exists(Path.Combine(folder, "messaging.db.lock")));

            await using var restarted = await ServerProcess.StartAsync(environment);
            var second = await ServerProcess.RunToExitAsync(["--urls", "http://127.0.0.1:0"], environment);

            Assert.Equal(1, second.ExitCode);
            Assert.Contains("MessagingServer cannot start: Persistence:SqlitePath", second.Error, StringComparison.Ordinal);
            Assert.Contains("in use by another server process", second.Error, StringComparison.Ordinal);
            Assert.False(restarted.HasExited);
        }
        finally
        {
            TestFolders.Delete(folder);
        }
    }
}
