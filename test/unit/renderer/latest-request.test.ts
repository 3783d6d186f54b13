import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LatestRequest } from '../../../renderer/src/lib/latest-request.js';

function deferred<T>() {
  let resolve!: (v: T) => void, reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
}

test('a reply that lands after a newer request started is dropped', async () => {
  const latest = new LatestRequest();
  const applied: string[] = [];
  const slow = deferred<string>(), fast = deferred<string>();
  const first = latest.run(() => slow.promise, (v) => applied.push(v), () => applied.push('failed'));
  const second = latest.run(() => fast.promise, (v) => applied.push(v), () => applied.push('failed'));
  fast.resolve('new');
  assert.equal(await second, true);
  slow.resolve('old');
  assert.equal(await first, false);
  assert.deepEqual(applied, ['new']);
});

test('errors reach fail only for the newest request; cancel drops the one in flight', async () => {
  const latest = new LatestRequest();
  const seen: unknown[] = [];
  assert.equal(await latest.run(() => Promise.reject(new Error('boom')), () => seen.push('value'), (e) => seen.push((e as Error).message)), true);
  const pending = deferred<number>();
  const run = latest.run(() => pending.promise, (v) => seen.push(v), (e) => seen.push(e));
  latest.cancel();
  pending.resolve(1);
  assert.equal(await run, false);
  assert.deepEqual(seen, ['boom']);
});
