// What the console scenarios of scenarios/*.mjs share: signing in and reading the open thread.

export async function start(page, opts) {
  await page.goto(`${opts.url}/app/`);
  await page.waitForSelector('#signin-view:not([hidden])');
  await page.fill('#signin-user', opts.user);
  await page.fill('#signin-token', opts.token ?? '');
  await page.press('#signin-user', 'Enter');
  await waitLive(page);
}

export const waitLive = (page) => page.waitForSelector('#connection[data-state="live"]', { timeout: 15_000 });

export function bubbles(page) {
  return page.$$eval('#messages li.msg', (items) => items.map((li) => li.querySelector('.body')?.textContent));
}

