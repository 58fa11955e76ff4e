using System.Collections.Concurrent;
using MessagingServer.Routing;

namespace MessagingServer.Tests.Routing;

public sealed class ClientDirectorySpecs
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    private readonly ClientDirectory _directory = new();
    private readonly ConcurrentQueue<ClientClaimed> _stored = new();

    public ClientDirectorySpecs() => _directory.StoreWith(_stored.Enqueue);

    [Fact]
    public void The_later_claim_wins_whatever_order_the_claims_arrive_in()
    {
        _directory.Claim("+1555", "bob", T0.AddMinutes(5));
        _directory.ClaimFromHistory("+1555", "alice", T0.AddMinutes(1));

        Assert.Equal("bob", _directory.LastUserOf("+1555"));
        Assert.Null(_directory.LastUserOf("+1666"));
    }

    [Fact]
    public void A_live_send_is_stored_when_the_number_changes_hands_and_not_when_the_same_user_writes_again()
    {
        _directory.Claim("+1555", "alice", T0);
        _directory.Claim("+1555", "alice", T0.AddMinutes(1));
        _directory.Claim("+1555", "bob", T0.AddMinutes(2));
        _directory.Claim("+1555", "bob", T0.AddMinutes(3));

        Assert.Equal([new ClientClaimed("+1555", "alice", T0), new ClientClaimed("+1555", "bob", T0.AddMinutes(2))], _stored);
        Assert.Equal("bob", _directory.LastUserOf("+1555"));
    }

    [Fact]
    public void After_a_restart_the_first_live_send_to_a_restored_number_is_stored_once_to_bring_its_time_up_to_date()
    {
        _directory.Restore(new ClientClaimed("+1555", "alice", T0));

        _directory.Claim("+1555", "alice", T0.AddMinutes(1));
        _directory.Claim("+1555", "alice", T0.AddMinutes(2));

        Assert.Equal([new ClientClaimed("+1555", "alice", T0.AddMinutes(1))], _stored);
    }

    [Fact]
    public void History_is_stored_only_when_it_changes_hands()
    {
        _directory.Restore(new ClientClaimed("+1555", "alice", T0));

        _directory.ClaimFromHistory("+1555", "alice", T0.AddMinutes(1));
        _directory.ClaimFromHistory("+1555", "bob", T0.AddMinutes(-1));
        _directory.ClaimFromHistory("+1666", "bob", T0);
        _directory.ClaimFromHistory("+1555", "bob", T0.AddMinutes(2));

        Assert.Equal([new ClientClaimed("+1666", "bob", T0), new ClientClaimed("+1555", "bob", T0.AddMinutes(2))], _stored);
        Assert.Equal("bob", _directory.LastUserOf("+1555"));
    }

    [Fact]
    public void Restored_claims_are_not_stored_again_and_an_older_one_does_not_undo_a_newer()
    {
        _directory.Restore(new ClientClaimed("+1555", "bob", T0.AddMinutes(2)));
        _directory.Restore(new ClientClaimed("+1555", "alice", T0.AddMinutes(1)));

        Assert.Empty(_stored);
        Assert.Equal("bob", _directory.LastUserOf("+1555"));
        Assert.Equal(1, _directory.Count);
    }

    [Fact]
    public void Concurrent_claims_of_one_number_end_with_the_latest()
    {
        var claims = Enumerable.Range(0, 1000).Select(i => new ClientClaimed("+1555", $"user-{i}", T0.AddSeconds(i))).ToArray();

        Parallel.ForEach(claims.Reverse(), claim => _directory.ClaimFromHistory(claim.ClientNumber, claim.UserId, claim.At));

        Assert.Equal("user-999", _directory.LastUserOf("+1555"));
    }
}
