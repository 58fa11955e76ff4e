using System.Reflection;
using Akka.Actor;
using MessagingServer.Hosting;

namespace MessagingServer.Tests.Hosting;

/// <summary>
/// <see cref="SchedulerStart"/> works around how Akka's scheduler starts (see its summary). These tests read the
/// scheduler's start time, a private field: if Akka changes how its scheduler starts, they fail and say so, and
/// the workaround needs a fresh look.
/// </summary>
public sealed class SchedulerStartSpecs
{
    [Fact]
    public async Task A_new_actor_systems_scheduler_waits_for_its_first_use_to_start()
    {
        var system = ActorSystem.Create("scheduler-unstarted");
        try
        {
            Assert.Equal(0L, StartTime(system));

            system.Scheduler.Advanced.ScheduleOnce(TimeSpan.Zero, static () => { });

            Assert.NotEqual(0L, StartTime(system));
        }
        finally
        {
            await system.Terminate();
        }
    }

    [Fact]
    public async Task After_run_the_scheduler_is_started_so_no_pool_thread_ever_waits_for_it()
    {
        var system = ActorSystem.Create("scheduler-started");
        try
        {
            SchedulerStart.Run(system);

            Assert.NotEqual(0L, StartTime(system));
            var ran = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await Task.Run(() => system.Scheduler.Advanced.ScheduleOnce(TimeSpan.FromMilliseconds(1), () => ran.TrySetResult()));
            await ran.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            await system.Terminate();
        }
    }

    private static long StartTime(ActorSystem system)
    {
        var field = system.Scheduler.GetType().GetField("_startTime", BindingFlags.NonPublic | BindingFlags.Instance);
        Assert.True(
            field is not null,
            $"{system.Scheduler.GetType().FullName} has no _startTime any more: check whether SchedulerStart is still needed");
        return (long)field.GetValue(system.Scheduler)!;
    }
}
