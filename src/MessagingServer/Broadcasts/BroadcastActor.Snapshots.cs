using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using Akka.Persistence;
using MessagingServer.Domain.Broadcasts;

namespace MessagingServer.Broadcasts;

/// <summary>
/// The broadcast's snapshots: every <see cref="BroadcastOptions.SnapshotEvery"/> stored events and at the end, so that
/// recovery reads the newest snapshot and the events after it. Older snapshots are deleted once a new one is saved;
/// events are kept (as the session keeps its own). A journal written before snapshots recovers from its events alone.
/// </summary>
public sealed partial class BroadcastActor
{
    /// <summary>The journal sequence number of the latest snapshot (0: none).</summary>
    private long _lastSnapshotAt;

    /// <summary>Finished: stops once the final snapshot is saved (and older ones are being deleted).</summary>
    private bool _passivateWhenSaved;

    /// <summary>
    /// A save is under way: the next one waits for its answer. Saves in flight together may finish out of order, and a
    /// deletion of "everything older" after the newer could then miss the older one written last.
    /// </summary>
    private bool _saving;

    /// <summary>A snapshot was due while another was being saved: it is saved once that one is answered.</summary>
    private bool _saveAgain;

    private void RecoverSnapshot() => Recover<SnapshotOffer>(offer =>
    {
        if (offer.Snapshot is BroadcastSnapshot snapshot)
        {
            _state = BroadcastState.FromSnapshot(snapshot);
            _lastSnapshotAt = offer.Metadata.SequenceNr;
        }
    });

    private void CommandSnapshots()
    {
        Command<SaveSnapshotSuccess>(success =>
        {
            DeleteSnapshots(new SnapshotSelectionCriteria(success.Metadata.SequenceNr - 1));
            OnSaveAnswered();
        });
        Command<SaveSnapshotFailure>(failure =>
        {
            _log.Warning("Snapshot of broadcast {0} of {1} failed: {2}", BroadcastId, UserId, failure.Cause.Message);
            OnSaveAnswered();
        });
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(_ => { });
    }

    private void PassivateAfterSnapshot()
    {
        if (MaybeSnapshot(force: true))
        {
            _passivateWhenSaved = true;
        }
        else
        {
            Context.Parent.Tell(new Passivate(Stop.Instance));
        }
    }

    private void OnSaveAnswered()
    {
        _saving = false;
        if (_saveAgain)
        {
            _saveAgain = false;
            if (MaybeSnapshot(force: true))
            {
                return;
            }
        }

        if (_passivateWhenSaved)
        {
            _passivateWhenSaved = false;
            Context.Parent.Tell(new Passivate(Stop.Instance));
        }
    }

    /// <summary>
    /// Saves a snapshot when <see cref="BroadcastOptions.SnapshotEvery"/> events were stored since the last (or when
    /// forced), once the broadcast is ready; true when one is saved now or after the save under way.
    /// </summary>
    private bool MaybeSnapshot(bool force = false)
    {
        if (LastSequenceNr == _lastSnapshotAt || (!force && LastSequenceNr - _lastSnapshotAt < _options.SnapshotEvery))
        {
            return false;
        }

        if (_saving)
        {
            _saveAgain = true;
            return true;
        }

        if (_state.ToSnapshot() is not { } snapshot)
        {
            return false;
        }

        _saving = true;
        _lastSnapshotAt = LastSequenceNr;
        SaveSnapshot(snapshot);
        return true;
    }
}
