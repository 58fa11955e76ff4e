// The media of a message (MMS): each https:// URL tried as an inline image, shown as a link when it is not
// one (a PDF, a video, an image that fails to load). Anything that is not an https:// URL is never loaded nor
// linked (no http:, javascript:, data:): it is named as text. Built with DOM APIs only, never HTML from data.

import { isHttpsUrl } from './protocol.js';

/** The nodes that show `urls` in a bubble, in order. */
export function mediaNodes(doc, urls) {
  return (Array.isArray(urls) ? urls : []).map((url, i) => {
    const label = `Attachment ${i + 1}`;
    if (!isHttpsUrl(url)) {
      const note = doc.createElement('span');
      note.className = 'media media-unsafe';
      note.textContent = `${label}: not shown (not an https:// link)`;
      return note;
    }
    const link = mediaLink(doc, url, label);
    const image = doc.createElement('img');
    image.className = 'media-image';
    image.alt = `${label} (image)`;
    image.loading = 'lazy';
    image.decoding = 'async';
    image.referrerPolicy = 'no-referrer';
    image.addEventListener('error', () => {
      // Not an image (or gone): a plain link, so the user can still open it.
      link.replaceChildren(label);
      link.classList.remove('media-inline');
    }, { once: true });
    image.src = url;
    link.classList.add('media-inline');
    link.replaceChildren(image);
    return link;
  });
}

function mediaLink(doc, url, label) {
  const link = doc.createElement('a');
  link.className = 'media';
  link.href = url;
  link.target = '_blank';
  link.rel = 'noopener noreferrer';
  link.textContent = label;
  return link;
}
