using MessagingServer.Persistence;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;

namespace MessagingServer.Tests.Persistence;

public sealed class StorageHealthGateSpecs
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);
    private readonly FakeTimeProvider _clock = new();
    private int _probes;

    private Task<HealthCheckResult> Probe()
    {
        _probes++;
        return Task.FromResult(HealthCheckResult.Healthy());
    }

    [Fact]
    public async Task Many_checks_within_a_second_share_one_probe()
    {
        var gate = new StorageHealthGate(_clock, MaxAge);

        for (var i = 0; i < 1000; i++)
        {
            await gate.CheckAsync(Probe);
        }

        Assert.Equal(1, _probes);
    }

    [Fact]
    public async Task A_check_after_a_second_probes_again()
    {
        var gate = new StorageHealthGate(_clock, MaxAge);
        await gate.CheckAsync(Probe);

        _clock.Advance(MaxAge);
        await gate.CheckAsync(Probe);

        Assert.Equal(2, _probes);
    }

    [Fact]
    public async Task With_no_interval_every_check_probes()
    {
        var gate = new StorageHealthGate(_clock, TimeSpan.Zero);

        await gate.CheckAsync(Probe);
        await gate.CheckAsync(Probe);

        Assert.Equal(2, _probes);
    }

    [Fact]
    public async Task A_probe_still_running_is_joined_however_late()
    {
        var gate = new StorageHealthGate(_clock, MaxAge);
        var running = new TaskCompletionSource<HealthCheckResult>();
        var first = gate.CheckAsync(() => { _probes++; return running.Task; });

        _clock.Advance(TimeSpan.FromSeconds(30));
        var second = gate.CheckAsync(Probe);
        running.SetResult(HealthCheckResult.Unhealthy("full"));

        Assert.Same(first, second);
        Assert.Equal(HealthStatus.Unhealthy, (await second).Status);
        Assert.Equal(1, _probes);
    }
}
