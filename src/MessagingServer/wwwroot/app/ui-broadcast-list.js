// The recent broadcasts: one row each with its progress bar (sent + failed + skipped + cancelled of total), the
// counts, and Cancel while it is unfinished. Rows are kept by id and refilled in place, so a live bar does not
// lose the focus of its Cancel button. DOM APIs only, text through textContent.

/**
 * @param {Document} doc
 * @param {{ cancel: (id: string) => Promise<void> }} actions
 */
export function createBroadcastList(doc, actions) {
  const section = doc.getElementById('broadcasts');
  const list = doc.getElementById('broadcast-list');
  const rows = new Map(); // id -> <li>
  const problems = new Map(); // id -> the last cancel's refusal

  list.addEventListener('click', async (e) => {
    const button = e.target.closest('button[data-action="cancel"]');
    const id = button?.closest('li')?.dataset.broadcastId;
    if (!id) {
      return;
    }
    problems.delete(id);
    try {
      await actions.cancel(id);
    } catch (error) {
      problems.set(id, `Not cancelled: ${error.message}${error.code ? ` (${error.code})` : ''}`);
      fill(rows.get(id), rows.get(id)?.entry);
    }
  });

  function stateOf(b) {
    if (!b.finished) {
      return b.firstSeq === null && b.done === 0 ? 'starting' : 'running';
    }
    return b.cancelled > 0 ? 'cancelled' : 'done';
  }

  function fill(li, b) {
    if (!li || !b) {
      return;
    }
    li.entry = b;
    const state = stateOf(b);
    li.dataset.state = state;
    li.dataset.percent = String(b.percent);
    const title = doc.createElement('span');
    title.className = 'broadcast-body';
    title.textContent = b.body || `Broadcast ${b.id.slice(0, 12)}`;
    const bar = doc.createElement('progress');
    bar.max = Math.max(1, b.total);
    bar.value = Math.min(b.done, bar.max);
    bar.setAttribute('aria-label', `${b.body || 'Broadcast'}: ${b.percent}%`);
    const counts = doc.createElement('span');
    counts.className = 'broadcast-counts';
    const parts = [`${b.done} of ${b.total} (${b.percent}%)`, `sent ${b.sent}`];
    for (const k of ['failed', 'skipped', 'cancelled']) {
      if (b[k] > 0) {
        parts.push(`${k} ${b[k]}`);
      }
    }
    counts.textContent = `${parts.join(' · ')}${state === 'starting' ? ' · starting' : ''}`;
    const top = doc.createElement('span');
    top.className = 'row';
    top.append(title);
    const focused = doc.activeElement?.closest?.('li') === li;
    if (!b.finished) {
      const cancel = doc.createElement('button');
      cancel.type = 'button';
      cancel.dataset.action = 'cancel';
      cancel.disabled = Boolean(b.cancelling);
      cancel.textContent = b.cancelling ? 'Cancelling…' : 'Cancel';
      cancel.setAttribute('aria-label', `Cancel broadcast ${b.body || b.id}`);
      top.append(cancel);
    }
    const nodes = [top, bar, counts];
    if (problems.has(b.id)) {
      const problem = doc.createElement('span');
      problem.className = 'field-error';
      problem.setAttribute('role', 'alert');
      problem.textContent = problems.get(b.id);
      nodes.push(problem);
    }
    li.replaceChildren(...nodes);
    if (focused) {
      (li.querySelector('button') ?? li).focus();
    }
  }

  /** Draws the list (newest first, from Broadcasts.list()). */
  function render(broadcasts) {
    section.hidden = broadcasts.length === 0;
    const wanted = new Set(broadcasts.map((b) => b.id));
    for (const [id, li] of rows) {
      if (!wanted.has(id)) {
        li.remove();
        rows.delete(id);
      }
    }
    let next = list.firstElementChild;
    for (const b of broadcasts) {
      let li = rows.get(b.id);
      if (!li) {
        li = doc.createElement('li');
        li.className = 'broadcast-item';
        li.dataset.broadcastId = b.id;
        li.tabIndex = -1;
        rows.set(b.id, li);
      }
      if (JSON.stringify(li.entry) !== JSON.stringify(b) || problems.has(b.id)) {
        fill(li, b);
      }
      if (li === next) {
        next = next.nextElementSibling;
      } else {
        list.insertBefore(li, next);
      }
    }
  }

  function clear() {
    rows.clear();
    problems.clear();
    list.replaceChildren();
    section.hidden = true;
  }

  return { render, clear };
}
