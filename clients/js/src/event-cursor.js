// Where the app stands in the user's event stream, and what to acknowledge. Pure: it decides, the client
// acts. `position` is the highest seq handed to the app, every one below it handed once and in order.

export class EventCursor {
  /** @param {number | null} position the seq the app already has (null: ask the server, which resumes after its ack) */
  constructor(position = null) {
    this.position = Number.isSafeInteger(position) && position >= 0 ? position : null;
    this.handled = this.position ?? 0;
    this.acked = this.position ?? 0;
    this.lastSeq = this.position ?? 0;
  }

  /** The `since` of the next connect: null (let the server's ack decide) only before the first welcome. */
  get since() {
    return this.position;
  }

  /**
   * A welcome: where the replay starts. `reset` is true when the server's history is behind what the app
   * has (its journal was reset): seqs start over from what the server has.
   */
  welcome({ lastSeq, resumeFrom }) {
    this.lastSeq = lastSeq;
    if (this.position === null) {
      this.position = Math.max(0, resumeFrom - 1);
      this.handled = Math.max(this.handled, this.position);
      this.acked = this.position;
      return { reset: false };
    }
    if (lastSeq < this.position) {
      this.position = Math.max(0, Math.min(lastSeq, resumeFrom - 1));
      this.handled = this.acked = this.position;
      return { reset: true };
    }
    return { reset: false };
  }

  /**
   * An event from the socket: `deliver` (the next one: position moves to it), `duplicate` (already
   * handed over) or `gap` (one or more before it are missing: resume from `position` to get them).
   */
  offer(seq) {
    if (this.position === null) {
      return 'gap';
    }
    if (seq <= this.position) {
      return 'duplicate';
    }
    if (seq !== this.position + 1) {
      return 'gap';
    }
    this.position = seq;
    this.lastSeq = Math.max(this.lastSeq, seq);
    return 'deliver';
  }

  /** The app has handled everything up to `seq` (never beyond what it was handed, never back). */
  handle(seq) {
    if (!Number.isSafeInteger(seq) || seq < 0) {
      throw new RangeError(`an ack needs a non-negative integer seq, not ${seq}`);
    }
    if (this.position === null || seq > this.position) {
      throw new RangeError(`seq ${seq} has not been handed to the app yet (it has up to ${this.position ?? 0})`);
    }
    this.handled = Math.max(this.handled, seq);
  }

  /** The seq to acknowledge now, or null when the server already has it. */
  ackDue() {
    return this.handled > this.acked ? this.handled : null;
  }

  acknowledged(seq) {
    this.acked = Math.max(this.acked, seq);
  }

  /** A new socket: an ack the last one carried may not have been stored (a crash), so the newest is due again. */
  reconnected() {
    this.acked = 0;
  }
}
