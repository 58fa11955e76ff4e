import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError, RestApi } from '../../src/rest.js';

/** A RestApi over a fetch that records each call and answers `reply` (JSON, 200 unless given). */
function api(reply = [], status = 200) {
  const calls = [];
  const fetch = async (url, init) => {
    calls.push({ url: new URL(url), init });
    return { ok: status < 400, status, statusText: '', json: async () => reply, text: async () => JSON.stringify(reply) };
  };
  return { rest: new RestApi({ base: new URL('http://server.test/'), userId: 'alice', token: () => 't', fetch }), calls };
}

test('an MMS send posts its media; a plain send posts none', async () => {
  const { rest, calls } = api({ id: 'm1', seq: 1 }, 202);
  await rest.send({ to: '+15550001111', body: '', media: ['https://example.org/a.png'], clientRef: 'r1' });
  await rest.send({ to: '+15550001111', body: 'hi', media: [] });

  assert.equal(calls[0].url.pathname, '/api/users/alice/messages');
  assert.deepEqual(JSON.parse(calls[0].init.body), { to: '+15550001111', body: '', media: ['https://example.org/a.png'], clientRef: 'r1' });
  assert.equal('media' in JSON.parse(calls[1].init.body), false);
});

test('conversation pages ask for the number, before and limit; the newest page has no before', async () => {
  const { rest, calls } = api([{ type: 'message', seq: 9 }]);
  const page = await rest.conversationMessages('+15550001111');
  await rest.conversationMessages('+15550001111', { before: 9, limit: 20 });

  assert.deepEqual(page, [{ type: 'message', seq: 9 }]);
  assert.equal(calls[0].url.pathname, '/api/users/alice/conversations/%2B15550001111/messages');
  assert.equal(calls[0].url.searchParams.has('before'), false);
  assert.equal(calls[0].url.searchParams.get('limit'), '50');
  assert.equal(calls[1].url.searchParams.get('before'), '9');
  assert.equal(calls[1].url.searchParams.get('limit'), '20');
  assert.equal(calls[1].init.headers.Authorization, 'Bearer t');
});

test('a refused page rejects with the problem code', async () => {
  const { rest } = api({ code: 'invalid_client_number', title: 'The client number must be E.164' }, 400);

  await assert.rejects(rest.conversationMessages('nope'), (e) => e instanceof ApiError && e.code === 'invalid_client_number' && e.status === 400);
});
