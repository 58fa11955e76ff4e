using System.Collections.Concurrent;
using System.Threading.Channels;
using MessagingServer.Domain.Messages;
using MessagingServer.Domain.Protocol;
using MessagingServer.Sms;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace MessagingServer.Tests.Sms;

public sealed class RateLimitedMessagingServiceSpecs : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2030-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly RecordingProvider _provider;
    private readonly Channel<(string Sender, TimeSpan Wait)> _pacing = Channel.CreateUnbounded<(string, TimeSpan)>();
    private RateLimitedMessagingService? _service;

    public RateLimitedMessagingServiceSpecs() => _provider = new RecordingProvider(_time);

    private RateLimitedMessagingService Service(double perSecond, int concurrent = 10, int queue = 100) =>
        _service = new RateLimitedMessagingService(_provider, new SendRateLimits(perSecond, concurrent, queue), _time, NullLogger<RateLimitedMessagingService>.Instance)
        {
            PacingStarted = (sender, wait) => _pacing.Writer.TryWrite((sender, wait)),
        };

    private static OutboundSms Sms(string id, string from = "+15550001111") => new("alice", id, from, "+15550002222", "hi");

    [Fact]
    public async Task A_burst_goes_out_one_interval_apart_in_arrival_order()
    {
        var service = Service(perSecond: 2);
        var sends = Enumerable.Range(0, 5).Select(i => service.SendAsync(Sms($"m{i}"), CancellationToken.None)).ToArray();

        await sends[0].WaitAsync(Patience);
        for (var i = 1; i < sends.Length; i++)
        {
            var (sender, wait) = await _pacing.Reader.ReadAsync().AsTask().WaitAsync(Patience);
            Assert.Equal("+15550001111", sender);
            Assert.Equal(TimeSpan.FromMilliseconds(500), wait);
            Assert.Equal(i, _provider.Sent.Count);
            Assert.All(sends.Skip(i), s => Assert.False(s.IsCompleted));
            _time.Advance(wait);
            await sends[i].WaitAsync(Patience);
        }

        Assert.Equal(["m0", "m1", "m2", "m3", "m4"], _provider.Sent.Select(s => s.Sms.MessageId));
        var times = _provider.Sent.Select(s => s.At).ToArray();
        Assert.All(times.Zip(times.Skip(1)), pair => Assert.True(pair.Second - pair.First >= TimeSpan.FromMilliseconds(500)));
        Assert.Equal(TimeSpan.FromSeconds(2), times[^1] - times[0]);
        Assert.Equal(5, service.PermitsGranted("+15550001111"));
    }

    [Fact]
    public async Task Each_sender_number_has_its_own_pace()
    {
        var service = Service(perSecond: 1.0 / 3600);

        var first = await service.SendAsync(Sms("a", from: "+15550000001"), CancellationToken.None).WaitAsync(Patience);
        var other = await service.SendAsync(Sms("b", from: "+15550000002"), CancellationToken.None).WaitAsync(Patience);

        Assert.IsType<SendOutcome.Accepted>(first);
        Assert.IsType<SendOutcome.Accepted>(other);
        Assert.Equal(2, _provider.Sent.Count);
    }

    [Fact]
    public async Task A_cancelled_waiting_send_leaves_the_queue_and_is_never_sent()
    {
        const string sender = "+15550001111";
        var service = Service(perSecond: 1.0 / 3600);
        await service.SendAsync(Sms("first"), CancellationToken.None).WaitAsync(Patience);
        using var cancelHead = new CancellationTokenSource();
        using var cancelTail = new CancellationTokenSource();
        var head = service.SendAsync(Sms("head"), cancelHead.Token);
        var middle = service.SendAsync(Sms("middle"), CancellationToken.None);
        var tail = service.SendAsync(Sms("tail"), cancelTail.Token);
        await _pacing.Reader.ReadAsync().AsTask().WaitAsync(Patience);
        Assert.Equal(3, service.QueueDepth(sender));

        await cancelHead.CancelAsync();
        await cancelTail.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => head.WaitAsync(Patience));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => tail.WaitAsync(Patience));
        Assert.Equal(1, service.QueueDepth(sender));
        _time.Advance(TimeSpan.FromHours(1));
        await middle.WaitAsync(Patience);
        Assert.Equal(["first", "middle"], _provider.Sent.Select(s => s.Sms.MessageId));
        Assert.Equal(0, service.QueueDepth(sender));
    }

    [Fact]
    public async Task A_full_queue_refuses_more_sends_as_rate_limited()
    {
        const string sender = "+15550001111";
        var service = Service(perSecond: 1.0 / 3600, queue: 2);
        await service.SendAsync(Sms("first"), CancellationToken.None).WaitAsync(Patience);
        using var cancel = new CancellationTokenSource();
        var waiting = new[] { service.SendAsync(Sms("w1"), cancel.Token), service.SendAsync(Sms("w2"), cancel.Token) };

        var refused = await service.SendAsync(Sms("over"), CancellationToken.None).WaitAsync(Patience);

        var rejected = Assert.IsType<SendOutcome.Rejected>(refused);
        Assert.Equal(ErrorCodes.RateLimited, rejected.Error.Code);
        Assert.Equal(2, service.QueueDepth(sender));
        await cancel.CancelAsync();
        foreach (var send in waiting)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send.WaitAsync(Patience));
        }
    }

    [Fact]
    public async Task Provider_calls_in_flight_are_capped()
    {
        var service = Service(perSecond: 1000, concurrent: 2);
        _provider.Hold();
        var sends = Enumerable.Range(0, 3).Select(i => service.SendAsync(Sms($"m{i}", from: $"+1555000000{i}"), CancellationToken.None)).ToArray();

        await _provider.Entered.Reader.ReadAsync().AsTask().WaitAsync(Patience);
        await _provider.Entered.Reader.ReadAsync().AsTask().WaitAsync(Patience);

        Assert.Equal(2, _provider.InFlight);
        Assert.False(_provider.Entered.Reader.TryRead(out _));
        _provider.Release();
        await Task.WhenAll(sends).WaitAsync(Patience);
        Assert.Equal(3, _provider.Sent.Count);
    }

    [Fact]
    public async Task A_send_cancelled_while_waiting_for_a_provider_slot_is_never_sent()
    {
        var service = Service(perSecond: 1000, concurrent: 1);
        _provider.Hold();
        var busy = service.SendAsync(Sms("busy", from: "+15550000001"), CancellationToken.None);
        await _provider.Entered.Reader.ReadAsync().AsTask().WaitAsync(Patience);
        using var cancel = new CancellationTokenSource();
        var waiting = service.SendAsync(Sms("waiting", from: "+15550000002"), cancel.Token);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Patience));
        _provider.Release();
        await busy.WaitAsync(Patience);
        Assert.Equal(["busy"], _provider.Sent.Select(s => s.Sms.MessageId));
    }

    public async ValueTask DisposeAsync()
    {
        if (_service is not null)
        {
            await _service.DisposeAsync();
        }
    }

    private sealed class RecordingProvider(TimeProvider time) : IClientMessagingService
    {
        private readonly ConcurrentQueue<(OutboundSms Sms, DateTimeOffset At)> _sent = new();
        private TaskCompletionSource _gate = CompletedGate();
        private int _inFlight;

        public IReadOnlyList<(OutboundSms Sms, DateTimeOffset At)> Sent => _sent.ToArray();

        public Channel<string> Entered { get; } = Channel.CreateUnbounded<string>();

        public int InFlight => Volatile.Read(ref _inFlight);

        public void Hold() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _gate.TrySetResult();

        public async Task<SendOutcome> SendAsync(OutboundSms sms, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _inFlight);
            Entered.Writer.TryWrite(sms.MessageId);
            try
            {
                await _gate.Task.WaitAsync(cancellationToken);
                _sent.Enqueue((sms, time.GetUtcNow()));
                return new SendOutcome.Accepted("SM" + sms.MessageId, MessageStatus.Queued);
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }

        private static TaskCompletionSource CompletedGate()
        {
            var gate = new TaskCompletionSource();
            gate.SetResult();
            return gate;
        }
    }
}
