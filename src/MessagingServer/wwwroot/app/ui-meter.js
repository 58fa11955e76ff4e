// The meter under the compose box: encoding, SMS count, characters used, counted as the server counts them.

import { MAX_BODY_LENGTH, measureSegments } from './protocol.js';

/** The meter under the compose box: encoding, SMS count, characters used. */
export function meterText(body) {
  const m = measureSegments(body);
  const length = body.length;
  if (length > MAX_BODY_LENGTH) {
    return `${length} / ${MAX_BODY_LENGTH} characters: too long`;
  }
  const capacity = m.segments * m.perSegment;
  const why = m.encoding === 'UCS-2' ? ' (has characters outside GSM-7)' : '';
  return `${m.encoding}${why} · ${m.segments} SMS · ${m.units}/${capacity}`;
}

/** The function that shows the compose box's current body in the meter. */
export function createMeter(el) {
  return function updateMeter() {
    const body = el.body.value;
    const m = measureSegments(body);
    el.meter.textContent = meterText(body);
    el.meter.dataset.encoding = m.encoding;
    el.meter.dataset.segments = String(m.segments);
    el.meter.classList.toggle('over', body.length > MAX_BODY_LENGTH);
  };
}
