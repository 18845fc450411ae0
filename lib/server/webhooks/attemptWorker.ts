/**
 * The webhook attempts' thread (lib/server/webhooks/sender.ts): the HTTP requests of deliveries, their
 * signatures and their DNS checks run here, on an event loop of their own, so that a burst of
 * deliveries never takes the time of the moves on the app's loop. The outbox itself (claims, results)
 * stays with the app's database connection.
 */
import { parentPort } from 'node:worker_threads';
import { attempt, type AttemptAnswer, type AttemptRequest } from './attempt';

const port = parentPort;
if (!port) throw new Error('attemptWorker.ts runs as a worker thread');
let abort = new AbortController();

port.on('message', (message: AttemptRequest | { abort: true }) => {
  if ('abort' in message) {
    abort.abort();
    abort = new AbortController();
    return;
  }
  void attempt(message.delivery, { allowPrivate: message.allowPrivate, timeoutMs: message.timeoutMs, signal: abort.signal, now: () => message.now }).then((result) => {
    const answer: AttemptAnswer = { id: message.id, result };
    // oxlint-disable-next-line unicorn/require-post-message-target-origin -- a worker's port has no origin
    port.postMessage(answer);
  });
});
