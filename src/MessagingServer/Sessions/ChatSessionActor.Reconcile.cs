using Akka.Actor;
using Akka.Event;
using MessagingServer.Domain.Messages;
using MessagingServer.Domain.Sessions;
using MessagingServer.Observability;
using MessagingServer.Sms;

namespace MessagingServer.Sessions;

/// <summary>
/// The session's half of reconciliation: a send whose provider answer was lost is stored as being looked up
/// (<see cref="ReconcileStarted"/>), then looked up at the provider with backoff until <see cref="ChatSessionState.DecideLookup"/>
/// settles it. Lookups only read, so asking twice (a restart, a hand-off, a second node) is harmless. A recovered
/// session looks up every send still being reconciled at once: the window counts from the send, not from the restart.
/// A session with lookups under way does not passivate.
/// </summary>
public sealed partial class ChatSessionActor
{
    /// <summary>A lookup that takes longer than this counts as unanswered (asked again later).</summary>
    private static readonly TimeSpan LookupTimeout = TimeSpan.FromSeconds(30);

    /// <summary>How lost answers are looked up; none in tests that do not need it.</summary>
    private readonly SendLookups? _lookups;

    /// <summary>Sends being looked up by this incarnation, with the number of lookups asked so far.</summary>
    private readonly Dictionary<string, int> _lookupsAsked = new(StringComparer.Ordinal);

    private void ReceiveReconciliation()
    {
        Command<LookupDue>(OnLookupDue);
        Command<LookupAnswered>(OnLookupAnswered);
    }

    /// <summary>After recovery: carry on with every send still being looked up, at once.</summary>
    private void ResumeReconciliations()
    {
        foreach (var record in _state.Reconciling().ToList())
        {
            ScheduleLookup(record.Accepted.Id, TimeSpan.Zero);
        }
    }

    /// <summary>Stores that the send is being looked up, then asks the provider after the first delay.</summary>
    private void BeginReconcile(ReconcileStarted started)
    {
        _log.Warning("Provider answer lost for {MessageId} of {UserId} ({Reason}); looking it up instead of resending", started.Id, UserId, Observability.PhoneNumberMask.Mask(started.Reason.Message));
        _state.Apply(started);
        Write(started, stored =>
        {
            if (_lookups is { } lookups && _state.FindOutbound(stored.Id) is { Reconciling: true } record)
            {
                var deadline = ChatSessionState.ReconcileDeadline(record, lookups.Options.ReconcileWindow);
                ScheduleLookup(stored.Id, ReconcileBackoff.Next(0, lookups.Options.ReconcileFirstDelay, lookups.Options.ReconcileMaxDelay, deadline, Now));
            }
        });
    }

    private void ScheduleLookup(string messageId, TimeSpan delay)
    {
        if (_lookups is null)
        {
            return;
        }

        if (_lookupsAsked.TryAdd(messageId, 0))
        {
            _lookups.Metrics.Started();
        }

        Timers.StartSingleTimer(LookupKey(messageId), new LookupDue(messageId), delay);
        UpdateIdleTimer();
    }

    private void OnLookupDue(LookupDue due)
    {
        if (_lookups is not { } lookups || !_lookupsAsked.ContainsKey(due.MessageId))
        {
            return;
        }

        if (_state.FindOutbound(due.MessageId) is not { Reconciling: true } record)
        {
            Forget(due.MessageId, ReconcileMetrics.Reported);
            return;
        }

        var sms = new OutboundSms(UserId, record.Accepted.Id, record.Accepted.From, record.Accepted.To, record.Accepted.Body, Media: record.Accepted.Media);
        var askedAt = Now;
        lookups.Metrics.Lookup();
        Task<LookupOutcome> lookup;
        try
        {
            lookup = lookups.Provider.FindAsync(sms, record.Accepted.At, CancellationToken.None).WaitAsync(LookupTimeout);
        }
        catch (Exception e)
        {
            lookup = Task.FromException<LookupOutcome>(e);
        }

        lookup.PipeTo(
            Self,
            success: outcome => new LookupAnswered(due.MessageId, outcome, askedAt),
            failure: e => new LookupAnswered(due.MessageId, new LookupOutcome.Failed(new ProviderError("lookup_failed", e.Message)), askedAt));
    }

    private void OnLookupAnswered(LookupAnswered answered)
    {
        if (_lookups is not { } lookups || !_lookupsAsked.TryGetValue(answered.MessageId, out var asked))
        {
            return; // settled already: a repeated answer
        }

        var window = lookups.Options.ReconcileWindow;
        var decision = _state.DecideLookup(answered.MessageId, answered.Outcome, answered.AskedAt, Now, window);
        switch (decision.Verdict)
        {
            case ReconcileVerdict.Continue:
                _lookupsAsked[answered.MessageId] = ++asked;
                if (answered.Outcome is LookupOutcome.Failed failed)
                {
                    _log.Warning("Looking up {MessageId} of {UserId} at the provider failed ({Reason}); asking again", answered.MessageId, UserId, Observability.PhoneNumberMask.Mask(failed.Error.Message));
                }

                var deadline = ChatSessionState.ReconcileDeadline(_state.FindOutbound(answered.MessageId)!, window);
                ScheduleLookup(answered.MessageId, ReconcileBackoff.Next(asked, lookups.Options.ReconcileFirstDelay, lookups.Options.ReconcileMaxDelay, deadline, Now));
                return;
            case ReconcileVerdict.Settled:
                Forget(answered.MessageId, ReconcileMetrics.Reported);
                return;
            case ReconcileVerdict.Found:
                _log.Info("Lost answer for {MessageId} of {UserId} reconciled: the provider has it", answered.MessageId, UserId);
                Forget(answered.MessageId, ReconcileMetrics.Found);
                break;
            case ReconcileVerdict.NotSent:
                _log.Warning("{MessageId} of {UserId} was never received by the provider: failed as not sent", answered.MessageId, UserId);
                _metrics.SmsFailed(ChatSessionState.NotSentCode);
                Forget(answered.MessageId, ReconcileMetrics.NotSent);
                break;
        }

        foreach (var e in decision.Events)
        {
            Record(e);
        }
    }

    private void Forget(string messageId, string result)
    {
        Timers.Cancel(LookupKey(messageId));
        if (_lookupsAsked.Remove(messageId))
        {
            _lookups?.Metrics.Stopped();
            _lookups?.Metrics.Ended(result);
        }

        UpdateIdleTimer();
    }

    /// <summary>Stopping: this incarnation's lookups end here (its successor resumes them from the stored state).</summary>
    private void DropLookups()
    {
        foreach (var _ in _lookupsAsked)
        {
            _lookups?.Metrics.Stopped();
        }

        _lookupsAsked.Clear();
    }

    private static string LookupKey(string messageId) => "lookup-" + messageId;

    private sealed record LookupDue(string MessageId) : INoSerializationVerificationNeeded;

    private sealed record LookupAnswered(string MessageId, LookupOutcome Outcome, DateTimeOffset AskedAt) : INoSerializationVerificationNeeded;
}
