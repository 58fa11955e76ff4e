// The pieces of a thread: a conversation's seqs kept in order, and what each stored event shows as a
// thread item. Pure functions: no DOM, no state of their own.

/** Inserts `seq` into the ascending `seqs` (a new one usually goes last; an older page's in between). */
export function insertSeq(seqs, seq) {
  if (seqs.length === 0 || seqs[seqs.length - 1] < seq) {
    seqs.push(seq);
    return;
  }
  let lo = 0;
  let hi = seqs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (seqs[mid] < seq) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  seqs.splice(lo, 0, seq);
}

/** A stored `message` or `outbound` as a thread item; `record` is the outbound's status record. */
export function eventItem(e, record) {
  if (e.type === 'message') {
    return { key: `s${e.seq}`, kind: 'in', seq: e.seq, id: e.id, from: e.from, to: e.to, body: e.body, at: e.at, media: e.media ?? [] };
  }
  return {
    key: `s${e.seq}`, kind: 'out', seq: e.seq, id: e.id, clientRef: e.clientRef ?? null, to: e.to, body: e.body, at: e.at, media: e.media ?? [],
    status: record?.status ?? e.status, error: record?.error ?? null, encoding: e.encoding, segments: e.segments,
  };
}
