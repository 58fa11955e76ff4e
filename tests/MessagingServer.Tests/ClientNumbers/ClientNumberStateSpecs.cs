using MessagingServer.ClientNumbers;
using MessagingServer.Domain.Messages;

namespace MessagingServer.Tests.ClientNumbers;

public sealed class ClientNumberStateSpecs
{
    private const string Client = "+15550001111";
    private const string Ours = "+15550000000";
    private const string Theirs = "+15550000009";
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    private readonly ClientNumberState _state = new(Client);

    [Fact]
    public void A_first_claim_is_stored_and_names_the_last_writer_once_applied()
    {
        var claimed = _state.Claim("alice", T0, Hour);

        Assert.Equal(new ClientClaimed(Client, "alice", T0), claimed);
        Assert.Null(_state.LastWriter);
        _state.Apply(claimed!);
        Assert.Equal("alice", _state.LastWriter);
        Assert.Equal(T0, _state.StoredAt);
    }

    [Fact]
    public void The_same_user_writing_again_within_the_refresh_time_stores_nothing_but_is_remembered()
    {
        _state.Apply(_state.Claim("alice", T0, Hour)!);

        Assert.Null(_state.Claim("alice", T0.AddMinutes(59), Hour));

        Assert.Equal(T0.AddMinutes(59), _state.LastWrittenAt);
        Assert.Equal(T0, _state.StoredAt);
    }

    [Fact]
    public void The_same_user_is_stored_again_once_the_stored_time_is_a_refresh_time_old()
    {
        _state.Apply(_state.Claim("alice", T0, Hour)!);
        Assert.Null(_state.Claim("alice", T0.AddMinutes(30), Hour));

        Assert.Equal(new ClientClaimed(Client, "alice", T0.AddHours(1)), _state.Claim("alice", T0.AddHours(1), Hour));
    }

    [Fact]
    public void Another_user_writing_later_takes_the_number_over_at_once()
    {
        _state.Apply(_state.Claim("alice", T0, Hour)!);

        var claimed = _state.Claim("bob", T0.AddSeconds(1), Hour);

        Assert.Equal(new ClientClaimed(Client, "bob", T0.AddSeconds(1)), claimed);
        _state.Apply(claimed!);
        Assert.Equal("bob", _state.LastWriter);
    }

    [Fact]
    public void A_claim_older_than_the_one_known_loses_whoever_makes_it()
    {
        _state.Apply(_state.Claim("bob", T0.AddMinutes(2), Hour)!);
        Assert.Null(_state.Claim("alice", T0.AddMinutes(1), Hour));

        // Also against a later send of the same user that was only remembered, not stored.
        Assert.Null(_state.Claim("bob", T0.AddMinutes(10), Hour));
        Assert.Null(_state.Claim("alice", T0.AddMinutes(5), Hour));

        Assert.Equal("bob", _state.LastWriter);
    }

    [Fact]
    public void A_stop_opts_the_client_out_of_that_sender_only_and_start_takes_it_back()
    {
        var optOut = _state.OptOut(Ours, T0);
        Assert.Equal(new ClientOptedOut(Ours, Client, T0), optOut);
        _state.Apply(optOut!);

        Assert.True(_state.IsOptedOut(Ours));
        Assert.False(_state.IsOptedOut(Theirs));

        var optIn = _state.OptIn(Ours, T0.AddMinutes(1));
        Assert.Equal(new ClientOptedIn(Ours, Client, T0.AddMinutes(1)), optIn);
        _state.Apply(optIn!);
        Assert.False(_state.IsOptedOut(Ours));
    }

    [Fact]
    public void A_repeated_stop_or_a_start_without_a_stop_stores_nothing()
    {
        Assert.Null(_state.OptIn(Ours, T0));
        _state.Apply(_state.OptOut(Ours, T0)!);

        Assert.Null(_state.OptOut(Ours, T0.AddMinutes(1)));
    }

    [Fact]
    public void A_snapshot_brings_back_the_stored_writer_and_every_opt_out()
    {
        _state.Apply(_state.Claim("alice", T0, Hour)!);
        Assert.Null(_state.Claim("alice", T0.AddMinutes(5), Hour));
        _state.Apply(_state.OptOut(Ours, T0)!);
        _state.Apply(_state.OptOut(Theirs, T0)!);

        var back = ClientNumberState.FromSnapshot(Client, _state.ToSnapshot());

        Assert.Equal("alice", back.LastWriter);
        Assert.Equal(T0, back.StoredAt);
        Assert.Equal(T0, back.LastWrittenAt);
        Assert.Equal([Ours, Theirs], back.OptedOutOf.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_event_of_another_kind_is_refused()
    {
        Assert.Throws<ArgumentException>(() => _state.Apply(new CursorAcked(3)));
    }
}
