using Akka.Actor;
using Akka.TestKit.Xunit2;
using MessagingServer.Hosting;
using MessagingServer.Routing;

namespace MessagingServer.Tests.Routing;

/// <summary>
/// The directory's store on Akka's in-memory journal and snapshot store, one pair per test (the end-to-end
/// durability specs run it on SQLite and PostgreSQL with the real serializer).
/// </summary>
public sealed class ClientDirectoryActorSpecs : TestKit
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    public ClientDirectoryActorSpecs()
        : base("""
            akka.test.single-expect-default = 10s
            akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
            """) => SchedulerStart.Run(Sys);

    [Theory]
    [InlineData(1000)]
    [InlineData(2)]
    public void What_was_stored_is_loaded_back_by_the_next_store(int snapshotEvery)
    {
        var before = new ClientDirectory();
        var store = StartStore(before, snapshotEvery);
        before.StoreWith(claim => store.Tell(new ClientDirectoryActor.Store(claim)));
        var claims = new[] { ("+1555", "alice"), ("+1666", "alice"), ("+1555", "bob"), ("+1777", "carol"), ("+1888", "dave") };
        foreach (var (i, (number, user)) in claims.Index())
        {
            // One at a time, so that a snapshot holds only what came before it and the later claims replay on top.
            before.Claim(number, user, T0.AddMinutes(i));
            store.Tell(ClientDirectoryActor.WhenLoaded.Instance);
            ExpectMsg<ClientDirectoryActor.Loaded>();
        }

        Watch(store);
        Sys.Stop(store);
        ExpectTerminated(store);

        var after = new ClientDirectory();
        var restarted = StartStore(after, snapshotEvery);
        restarted.Tell(ClientDirectoryActor.WhenLoaded.Instance);

        Assert.Equal(4, ExpectMsg<ClientDirectoryActor.Loaded>().ClientNumbers);
        Assert.Equal(["bob", "alice", "carol", "dave"], new[] { "+1555", "+1666", "+1777", "+1888" }.Select(after.LastUserOf));
    }

    [Fact]
    public void The_supervised_store_answers_when_loaded()
    {
        var store = Sys.ActorOf(ClientDirectoryActor.Supervised(new ClientDirectory(), 1000));

        store.Tell(ClientDirectoryActor.WhenLoaded.Instance);

        Assert.Equal(0, ExpectMsg<ClientDirectoryActor.Loaded>().ClientNumbers);
    }

    private IActorRef StartStore(ClientDirectory directory, int snapshotEvery) =>
        Sys.ActorOf(ClientDirectoryActor.Props(directory, snapshotEvery));
}
