// The rules the console checks before sending (docs/protocol.md): user ids, numbers, bodies, segments,
// how a status moves. The wire protocol itself (frames, parser, URLs, clientRefs) is the client
// library's (/app/client/). Pure functions: no DOM, no socket, so Node can test them.

/** Longest body the server accepts, in UTF-16 code units (as the server counts). */
export const MAX_BODY_LENGTH = 1600;

/** The user id rules of the server: 1–64 letters, digits, '-', '_', '.', '@'. */
const USER_ID = /^[A-Za-z0-9_.@-]{1,64}$/;

/** E.164: '+' and 8 to 15 digits. */
const E164 = /^\+[0-9]{8,15}$/;

// GSM 03.38, the same tables as src/MessagingServer.Domain/Messages/SmsSegments.cs.
const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà');
const GSM_EXTENSION = new Set('\f^{}\\[~]|€');

export const GSM7 = 'GSM-7';
export const UCS2 = 'UCS-2';

export function isValidUserId(text) {
  return typeof text === 'string' && USER_ID.test(text);
}

/** What a person typed, with the spaces, dashes, dots and brackets of a written number removed. */
export function normalizeNumber(text) {
  return String(text ?? '').trim().replace(/[\s().-]/g, '');
}

export function isE164(text) {
  return typeof text === 'string' && E164.test(text);
}

/** Why a typed number is refused, or null when it is a valid E.164 number. */
export function numberProblem(number) {
  if (!number) {
    return 'Enter the client\'s phone number.';
  }
  if (!isE164(number)) {
    return 'A number must be in E.164 form: + and 8 to 15 digits, e.g. +15551234567.';
  }
  return null;
}

/** Why a body is refused, or null. With media (MMS) the body may be empty. */
export function bodyProblem(body, { hasMedia = false } = {}) {
  if (!hasMedia && (!body || !body.trim())) {
    return 'Type a message first.';
  }
  if ((body ?? '').length > MAX_BODY_LENGTH) {
    return `The message has ${body.length} characters; the limit is ${MAX_BODY_LENGTH}.`;
  }
  return null;
}

/** At most this many media URLs on one send, each at most MAX_MEDIA_URL_LENGTH characters (docs/protocol.md). */
export const MAX_MEDIA = 10;
export const MAX_MEDIA_URL_LENGTH = 2048;

/** An absolute https:// URL with a host: the only media the console sends, loads or links. */
export function isHttpsUrl(text) {
  if (typeof text !== 'string' || text.length > MAX_MEDIA_URL_LENGTH) {
    return false;
  }
  try {
    const url = new URL(text);
    return url.protocol === 'https:' && url.hostname !== '';
  } catch {
    return false;
  }
}

/** The media URLs typed in the composer: separated by spaces or new lines (a comma may be part of a URL). */
export function parseMedia(text) {
  return String(text ?? '').split(/\s+/).filter((part) => part !== '');
}

/** Why these media URLs are refused, or null. */
export function mediaProblem(urls) {
  if (urls.length > MAX_MEDIA) {
    return `At most ${MAX_MEDIA} media URLs on one message; this one has ${urls.length}.`;
  }
  const bad = urls.find((url) => !isHttpsUrl(url));
  if (bad !== undefined) {
    return bad.length > MAX_MEDIA_URL_LENGTH
      ? `A media URL is at most ${MAX_MEDIA_URL_LENGTH} characters.`
      : `A media URL must be an https:// link: ${bad.slice(0, 80)}`;
  }
  return null;
}

/**
 * How a body will be billed: GSM-7 when every UTF-16 unit is in the GSM basic or extension table
 * (extension characters take two septets), else UCS-2 counted in UTF-16 units (an emoji takes two).
 * One SMS holds 160 septets / 70 units; a concatenated message 153 / 67 per segment.
 */
export function measureSegments(body) {
  const text = String(body ?? '');
  let septets = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (GSM_BASIC.has(c)) {
      septets += 1;
    } else if (GSM_EXTENSION.has(c)) {
      septets += 2;
    } else {
      return count(UCS2, text.length, 70, 67);
    }
  }
  return count(GSM7, septets, 160, 153);
}

function count(encoding, units, single, multi) {
  const segments = units <= single ? 1 : Math.ceil(units / multi);
  return { encoding, units, segments, perSegment: segments === 1 ? single : multi };
}

const STATUS_RANK = Object.freeze({ sending: 0, queued: 1, sent: 2, delivered: 3, undelivered: 3, failed: 3 });

/** Status only moves forward: a late `sent` never replaces a `delivered`. */
export function laterStatus(current, next) {
  if (!current) {
    return next;
  }
  return (STATUS_RANK[next] ?? -1) > (STATUS_RANK[current] ?? -1) ? next : current;
}

export function isFailure(status) {
  return status === 'failed' || status === 'undelivered';
}
