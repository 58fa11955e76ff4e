using Akka.Actor;

namespace MessagingServer.Broadcasts;

/// <summary>
/// Node-local: wakes the broadcast index when the node starts and every <see cref="BroadcastOptions.ResumeInterval"/>,
/// so unfinished broadcasts resume after a restart or the loss of the node they ran on, and sessions with sends in flight
/// start again without waiting for their users.
/// </summary>
public sealed class BroadcastWaker : ReceiveActor, IWithTimers
{
    public BroadcastWaker(Akka.Hosting.IReadOnlyActorRegistry registry, TimeSpan interval)
    {
        // The region may not be registered yet in the first second of the node: try again a second later rather than
        // leave what a crash interrupted waiting a whole interval.
        Receive<BroadcastIndexCommands.Wake>(wake =>
        {
            if (registry.TryGet<BroadcastRegistry>(out var broadcasts))
            {
                broadcasts.Tell(wake, ActorRefs.NoSender);
            }
            else
            {
                Timers.StartSingleTimer("first", BroadcastIndexCommands.Wake.Instance, TimeSpan.FromSeconds(1));
            }
        });
        ReceiveAny(_ => { });
        _interval = interval;
    }

    private readonly TimeSpan _interval;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(Akka.Hosting.IReadOnlyActorRegistry registry, TimeSpan interval) =>
        Akka.Actor.Props.Create(() => new BroadcastWaker(registry, interval));

    protected override void PreStart()
    {
        Timers.StartSingleTimer("first", BroadcastIndexCommands.Wake.Instance, TimeSpan.FromSeconds(1));
        Timers.StartPeriodicTimer("wake", BroadcastIndexCommands.Wake.Instance, TimeSpan.FromSeconds(1) + _interval, _interval);
    }
}
