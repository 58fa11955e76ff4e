using Akka.Actor;
using MessagingServer.ClientNumbers;
using MessagingServer.Tests.Sessions;
using static MessagingServer.ClientNumbers.ClientNumberCommands;

namespace MessagingServer.Tests.ClientNumbers;

/// <summary>The client number region as the server runs it: a cluster of one, entities under back-off, the in-memory journal.</summary>
public sealed class ClientNumberActorSpecs : SessionRegionTestKit
{
    private const string Client = "+15550001111";
    private const string Ours = "+15550000000";
    private const string Theirs = "+15550000009";
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    public ClientNumberActorSpecs()
        : base("akka.persistence.snapshot-store.plugin = \"akka.persistence.snapshot-store.inmem\"", clientNumbers: new ClientNumberOptions { IdleAfter = TimeSpan.FromMilliseconds(500), SnapshotEvery = 1000 })
    {
    }

    [Fact]
    public void Nobody_has_written_to_a_new_number()
    {
        ClientNumbers.Tell(new GetLastWriter(Client));

        Assert.Equal(new LastWriterReply(Client, null), ExpectMsg<LastWriterReply>());
    }

    [Fact]
    public void A_claim_names_the_last_writer_and_a_later_one_by_another_user_takes_over()
    {
        ClientNumbers.Tell(new Claim(Client, "alice", T0), ActorRefs.NoSender);
        Assert.Equal("alice", LastWriter(Client));

        ClientNumbers.Tell(new Claim(Client, "bob", T0.AddSeconds(1)), ActorRefs.NoSender);
        Assert.Equal("bob", LastWriter(Client));

        // An older claim that arrives late (from a session on a slower node) loses.
        ClientNumbers.Tell(new Claim(Client, "alice", T0.AddMilliseconds(500)), ActorRefs.NoSender);
        Assert.Equal("bob", LastWriter(Client));
    }

    [Fact]
    public void Only_a_change_of_hands_or_an_old_stored_time_is_written()
    {
        for (var i = 0; i < 20; i++)
        {
            ClientNumbers.Tell(new Claim(Client, "alice", T0.AddSeconds(i)), ActorRefs.NoSender);
        }

        ClientNumbers.Tell(new Claim(Client, "bob", T0.AddMinutes(1)), ActorRefs.NoSender);
        ClientNumbers.Tell(new Claim(Client, "bob", T0.AddMinutes(2)), ActorRefs.NoSender);
        ClientNumbers.Tell(new Claim(Client, "bob", T0.AddHours(2)), ActorRefs.NoSender);
        Assert.Equal("bob", LastWriter(Client));

        Assert.Equal(3, StoredCounts(Client).Of(nameof(ClientClaimed)));
    }

    [Fact]
    public void A_stop_blocks_only_that_sender_number_and_a_start_lifts_it()
    {
        ClientNumbers.Tell(new SetConsent(Client, Ours, OptedOut: true, T0));
        Assert.Equal(new ConsentReply(Client, Ours, OptedOut: true), ExpectMsg<ConsentReply>());

        Assert.True(OptedOut(Client, Ours));
        Assert.False(OptedOut(Client, Theirs));

        ClientNumbers.Tell(new SetConsent(Client, Ours, OptedOut: false, T0.AddMinutes(1)));
        Assert.False(ExpectMsg<ConsentReply>().OptedOut);
        Assert.False(OptedOut(Client, Ours));
    }

    [Fact]
    public void A_repeated_stop_is_answered_without_a_second_write()
    {
        for (var i = 0; i < 3; i++)
        {
            ClientNumbers.Tell(new SetConsent(Client, Ours, OptedOut: true, T0.AddSeconds(i)));
            Assert.True(ExpectMsg<ConsentReply>().OptedOut);
        }

        Assert.Equal(1, StoredCounts(Client).Of("ClientOptedOut"));
    }

    [Fact]
    public void An_idle_number_stops_and_comes_back_with_its_writer_and_consent()
    {
        ClientNumbers.Tell(new Claim(Client, "alice", T0), ActorRefs.NoSender);
        ClientNumbers.Tell(new SetConsent(Client, Ours, OptedOut: true, T0));
        ExpectMsg<ConsentReply>();
        var entity = EntityOf(Client);
        Watch(entity);

        ExpectTerminated(entity);

        Assert.Equal("alice", LastWriter(Client));
        Assert.True(OptedOut(Client, Ours));
        Assert.NotEqual(entity, EntityOf(Client));
    }

    [Fact]
    public void A_number_told_to_stop_comes_back_on_its_next_message()
    {
        ClientNumbers.Tell(new Claim(Client, "alice", T0), ActorRefs.NoSender);
        Assert.Equal("alice", LastWriter(Client));
        var entity = EntityOf(Client);
        Watch(entity);

        // As the shard does on hand-off.
        Sys.ActorSelection(entity.Path.Parent).Tell(ClientNumberActor.Stop.Instance);
        ExpectTerminated(entity);

        Assert.Equal("alice", LastWriter(Client));
    }

    [Fact]
    public void A_snapshot_keeps_the_state_through_a_restart()
    {
        const string other = "+15550002222";
        var snapshotting = ClientNumberTestRegion.Start(Sys, new ClientNumberOptions { SnapshotEvery = 2 }, name: "snapshotting");
        snapshotting.Tell(new Claim(other, "alice", T0), ActorRefs.NoSender);
        snapshotting.Tell(new SetConsent(other, Ours, OptedOut: true, T0));
        ExpectMsg<ConsentReply>();
        snapshotting.Tell(new Claim(other, "bob", T0.AddMinutes(1)), ActorRefs.NoSender);
        snapshotting.Tell(new GetLastWriter(other));
        ExpectMsg<LastWriterReply>();
        var entity = LastSender;

        AwaitAssert(() => Assert.Equal(1, StoredCounts(other).Of("snapshot")));
        var counts = StoredCounts(other);
        Assert.Equal(1, counts.Of(nameof(ClientClaimed)));
        Assert.Equal(0, counts.Of("ClientOptedOut"));

        Watch(entity);
        Sys.ActorSelection(entity.Path.Parent).Tell(ClientNumberActor.Stop.Instance);
        ExpectTerminated(entity);
        snapshotting.Tell(new GetLastWriter(other));
        Assert.Equal("bob", ExpectMsg<LastWriterReply>().UserId);
        snapshotting.Tell(new CheckConsent(other, Ours));
        Assert.True(ExpectMsg<ConsentReply>().OptedOut);
    }

    private string? LastWriter(string client)
    {
        ClientNumbers.Tell(new GetLastWriter(client));
        return ExpectMsg<LastWriterReply>().UserId;
    }

    private bool OptedOut(string client, string sender)
    {
        ClientNumbers.Tell(new CheckConsent(client, sender));
        return ExpectMsg<ConsentReply>().OptedOut;
    }

    /// <summary>The entity actor itself: it answers queries, so the answer's sender is it.</summary>
    private IActorRef EntityOf(string client)
    {
        ClientNumbers.Tell(new GetLastWriter(client));
        ExpectMsg<LastWriterReply>();
        return LastSender;
    }

    private StoredEventCount.Counts StoredCounts(string client)
    {
        Sys.ActorOf(StoredEventCount.Props(ClientNumberActor.PersistenceIdFor(client), TestActor));
        return ExpectMsg<StoredEventCount.Counts>();
    }
}
