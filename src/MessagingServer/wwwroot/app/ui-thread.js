// The open thread: its bubbles kept by key and updated in place, so a status change redraws one bubble and
// older messages loaded on top keep the reader's place.

/** @returns {{ render: (number: string | null, items: object[], options?: object) => boolean, clear: () => void }} */
export function createThreadView(el, views) {
  const nodes = new Map(); // message key -> <li>
  let threadNumber = null;

  function clear(number = undefined) {
    threadNumber = number;
    nodes.clear();
    el.messages.replaceChildren();
  }

  /** Draws the thread; true when it is another conversation than the last one drawn. */
  function render(number, items, { canLoadEarlier = false, loadingEarlier = false } = {}) {
    const scroll = el.scroll;
    const switched = number !== threadNumber;
    if (switched) {
      clear(number);
    }
    el.threadTitle.textContent = number ?? 'No conversation selected';
    el.compose.hidden = !number;
    el.threadEmpty.hidden = !number || items.length > 0;
    el.loadEarlier.hidden = !number || !canLoadEarlier;
    el.loadEarlier.disabled = loadingEarlier;
    el.loadEarlier.textContent = loadingEarlier ? 'Loading…' : 'Load earlier messages';

    const nearBottom = scroll.scrollHeight - scroll.scrollTop - scroll.clientHeight < 48;
    const oldHeight = scroll.scrollHeight;
    const oldFirst = el.messages.firstElementChild;
    const wanted = new Set(items.map((i) => i.key));
    for (const [key, node] of nodes) {
      if (!wanted.has(key)) {
        node.remove();
        nodes.delete(key);
      }
    }
    let next = el.messages.firstElementChild;
    for (const item of items) {
      let node = nodes.get(item.key);
      if (!node) {
        node = views.messageNode(item);
        nodes.set(item.key, node);
      } else if (node.sig !== views.signature(item)) {
        views.fillMessage(node, item);
      }
      if (node === next) {
        next = next.nextElementSibling;
      } else {
        el.messages.insertBefore(node, next);
      }
    }
    if (nearBottom || !oldFirst) {
      scroll.scrollTop = scroll.scrollHeight;
    } else if (oldFirst !== el.messages.firstElementChild) {
      // Older messages went in on top: keep what the user was reading where it was.
      scroll.scrollTop += scroll.scrollHeight - oldHeight;
    }
    return switched;
  }

  return { render, clear };
}
