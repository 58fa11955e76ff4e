using Akka.Actor;
using Akka.Event;
using MessagingServer.Domain.Broadcasts;
using MessagingServer.Domain.Protocol;
using MessagingServer.Sessions;

namespace MessagingServer.Broadcasts;

/// <summary>The broadcast's sending half: hand recipients at the sender's pace, settle each once, report now and then.</summary>
public sealed partial class BroadcastActor
{
    private const string TickTimer = "tick";

    /// <summary>Recipients handed to the session with no answer yet: not stored; after a restart they are asked again.</summary>
    private readonly HashSet<int> _inFlight = [];

    private DateTimeOffset _nextHandAt;
    private DateTimeOffset _retryAfter;
    private DateTimeOffset _reportRetryAfter;
    private bool _reporting;
    private BroadcastProgress? _lastReported;
    private DateTimeOffset _lastReportAt;

    /// <summary>Hands recipients while the window and the pace allow, reports when due, and sets the next tick.</summary>
    private void Pump()
    {
        if (!IsRunning)
        {
            return;
        }

        var now = Now;
        while (_inFlight.Count < _options.MaxInFlight && now >= _nextHandAt && now >= _retryAfter && _state.NextToHand(_inFlight) is { } index)
        {
            Hand(index);
            if (_dependencies.SendInterval > TimeSpan.Zero)
            {
                _nextHandAt = now + _dependencies.SendInterval;
            }
        }

        MaybeReport(now);
        DateTimeOffset? wakeAt = null;
        if (_inFlight.Count < _options.MaxInFlight && _state.NextToHand(_inFlight) is not null)
        {
            wakeAt = Later(_nextHandAt, _retryAfter);
        }

        if (!_reporting && _lastReported != _state.Progress)
        {
            var reportAt = Later(_reportRetryAfter, _lastReportAt + _options.ProgressInterval);
            wakeAt = wakeAt is { } handAt ? Earlier(handAt, reportAt) : reportAt;
        }

        if (wakeAt is { } at && at > now)
        {
            Timers.StartSingleTimer(TickTimer, Tick.Instance, at - now);
        }
    }

    private void Hand(int index)
    {
        _inFlight.Add(index);
        var send = new BroadcastSend(UserId, _state.RecipientAt(index), _state.Created!.Body, _state.Created.Media, _state.ClientRefFor(index));
        _dependencies.Sessions().Ask<SendResult>(send, _options.AskTimeout)
            .PipeTo(Self, success: result => new Handed(index, result), failure: _ => new Handed(index, null));
    }

    private void OnHanded(Handed handed)
    {
        _inFlight.Remove(handed.Index);
        BroadcastOutcome? outcome = handed.Result switch
        {
            SendResult.Accepted => BroadcastOutcome.Sent,
            SendResult.Rejected { Code: ErrorCodes.OptedOut } => BroadcastOutcome.Skipped,
            // No answer, or the session or storage is busy: asked again (same clientRef) after a pause.
            null or SendResult.Rejected { Code: ErrorCodes.Unavailable or ErrorCodes.RateLimited } => null,
            _ => BroadcastOutcome.Failed,
        };

        if (outcome is null || _state.DecideSettle(handed.Index, outcome.Value, Now) is not { } settled)
        {
            if (outcome is null)
            {
                _retryAfter = Now + _options.RetryInterval;
            }

            Pump();
            return;
        }

        Persist(settled, e =>
        {
            _state.Apply(e);
            MaybeSnapshot();
            Pump();
        });
    }

    /// <summary>
    /// A <c>broadcast</c> event when it starts (or resumes), at each tenth of the way, at most every
    /// <see cref="BroadcastOptions.ProgressInterval"/> otherwise, and at the end; one at a time.
    /// </summary>
    private void MaybeReport(DateTimeOffset now)
    {
        var progress = _state.Progress;
        if (_reporting || now < _reportRetryAfter || progress == _lastReported)
        {
            return;
        }

        var due = _lastReported is null
            || progress.IsFinished
            || Tenth(progress) > Tenth(_lastReported)
            || now - _lastReportAt >= _options.ProgressInterval;
        if (!due)
        {
            return;
        }

        _reporting = true;
        _dependencies.Sessions().Ask<BroadcastRecorded>(new RecordBroadcast(UserId, progress), _options.AskTimeout)
            .PipeTo(Self, success: r => new Reported(progress, r.Stored), failure: _ => new Reported(progress, false));
    }

    private void OnReported(Reported reported)
    {
        _reporting = false;
        var now = Now;
        if (!reported.Stored)
        {
            _reportRetryAfter = now + _options.RetryInterval;
            Pump();
            return;
        }

        _lastReported = reported.Progress;
        _lastReportAt = now;
        if (reported.Progress.IsFinished && _state.IsFinished && _state.Progress == reported.Progress)
        {
            Persist(new BroadcastClosed(now), e =>
            {
                _state.Apply(e);
                _log.Info("Broadcast {0} of {1} finished: {2}", BroadcastId, UserId, _state.Progress);
                _dependencies.Broadcasts().Tell(new BroadcastIndexCommands.Unindex(UserId, BroadcastId), ActorRefs.NoSender);
                // Every later look at a finished broadcast (GET) recovers it: from this snapshot, not its every event.
                PassivateAfterSnapshot();
            });
            return;
        }

        Pump();
    }

    private static int Tenth(BroadcastProgress progress) => progress.Total == 0 ? 10 : (int)(progress.Done * 10L / progress.Total);

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Earlier(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    /// <summary>The session's answer for one recipient: null when it did not answer in time.</summary>
    private sealed record Handed(int Index, SendResult? Result) : INoSerializationVerificationNeeded;

    private sealed record Reported(BroadcastProgress Progress, bool Stored) : INoSerializationVerificationNeeded;

    private sealed class Tick : INoSerializationVerificationNeeded
    {
        public static readonly Tick Instance = new();
    }
}
