/**
 * What the reader threads and the triage threads share: messages go out round-robin, each reply settles the promise
 * of its id (the callers queue those promises, so results come back in submission order whichever thread was
 * faster), and a thread that fails or stops rejects everything still waiting.
 */
import { createRequire } from 'node:module';
import type { Worker } from 'node:worker_threads';

/** node:worker_threads, loaded when the first pool starts: a run too small for threads never loads it. */
function workerClass(): typeof Worker {
  return (createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads')).Worker;
}

/** KDR_TRIAGE_WORKERS when set to a whole number (at most 16), else undefined. */
export function threadCountFromEnv(): number | undefined {
  const env = process.env.KDR_TRIAGE_WORKERS;
  if (env === undefined || env === '') return undefined;
  const n = Number(env);
  return Number.isInteger(n) && n >= 0 ? Math.min(n, 16) : undefined;
}

/** The buffer a frame can hand over to a thread: only one it owns alone (a slice of a shared pool buffer is copied). */
export function movableBuffers(bytes: Uint8Array): ArrayBuffer[] {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer ? [bytes.buffer] : [];
}

interface Pending<Result> {
  resolve: (result: Result) => void;
  reject: (error: Error) => void;
}

export type ThreadReply<Result> = { id: number; result: Result } | { id: number; error: string };

export class RoundRobinThreads<Result> {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Pending<Result>>();
  private nextId = 0;
  private next = 0;
  private failure: Error | undefined;

  /** `what` names a thread in errors ("a reader thread stopped"); `init` is posted to each thread first. */
  constructor(url: URL, size: number, what: string, init?: unknown) {
    const Thread = workerClass();
    for (let i = 0; i < size; i++) {
      const worker = new Thread(url);
      worker.on('message', (reply: ThreadReply<Result>) => this.settle(reply));
      worker.on('error', (error) => this.fail(error));
      worker.on('exit', (code) => {
        if (code !== 0 && this.pending.size > 0) this.fail(new Error(`${what} stopped (exit code ${code})`));
      });
      if (init !== undefined) worker.postMessage(init);
      this.workers.push(worker);
    }
  }

  get size(): number {
    return this.workers.length;
  }

  /** Posts the message made for the next id to the next thread; the transferred buffers are unusable here afterwards. */
  send(message: (id: number) => unknown, transfer: ArrayBuffer[] = []): Promise<Result> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    const worker = this.workers[this.next];
    this.next = (this.next + 1) % this.workers.length;
    return new Promise<Result>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage(message(id), transfer);
    });
  }

  private settle(reply: ThreadReply<Result>): void {
    const p = this.pending.get(reply.id);
    if (!p) return;
    this.pending.delete(reply.id);
    if ('error' in reply) p.reject(new Error(reply.error));
    else p.resolve(reply.result);
  }

  private fail(error: Error): void {
    this.failure = error;
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
  }
}
