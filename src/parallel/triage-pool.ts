/**
 * Triage threads: each takes the cluster context once, then units of records go out round-robin and their results
 * are handed back in submission order (the caller queues the promises), so the output does not depend on which
 * thread was faster.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { FrameTask } from '../alerts/read.js';
import type { MapSettings, RawItem } from './decode.js';
import type { StreamFormat } from './render.js';
import type { TriagedBatch, TriageInit, TriageReply, TriageTask } from './triage-protocol.js';

const WORKER_URL = new URL('./triage-worker.js', import.meta.url);


/** KDR_TRIAGE_WORKERS when set (0 = triage in the main thread), else undefined. */
export function workersFromEnv(): number | undefined {
  const env = process.env.KDR_TRIAGE_WORKERS;
  if (env === undefined || env === '') return undefined;
  const n = Number(env);
  return Number.isInteger(n) && n >= 0 ? Math.min(n, 16) : undefined;
}


/** Triage threads can start: the compiled worker is there (not when running from the TypeScript sources in tests). */
export function triageWorkersAvailable(): boolean {
  return existsSync(fileURLToPath(WORKER_URL));
}

interface Pending {
  resolve: (batch: TriagedBatch) => void;
  reject: (error: Error) => void;
}

export class TriagePool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private next = 0;
  private failure: Error | undefined;

  /** The context buffer is shared with every thread; the caller can drop its own reference once this returns. */
  constructor(size: number, context: SharedArrayBuffer, format: StreamFormat) {
    const init: TriageInit = { kind: 'init', context, format };
    for (let i = 0; i < size; i++) {
      const worker = new Worker(WORKER_URL);
      worker.on('message', (reply: TriageReply) => this.settle(reply));
      worker.on('error', (error) => this.fail(error));
      worker.on('exit', (code) => {
        if (code !== 0 && this.pending.size > 0) this.fail(new Error(`a triage thread stopped (exit code ${code})`));
      });
      worker.postMessage(init);
      this.workers.push(worker);
    }
  }

  get size(): number {
    return this.workers.length;
  }

  /** A frame: its bytes are moved to the thread when the frame owns its buffer (unusable here afterwards). */
  frame(frame: FrameTask): Promise<TriagedBatch> {
    const transfer: ArrayBuffer[] = [];
    if (frame.bytes.byteOffset === 0 && frame.bytes.byteLength === frame.bytes.buffer.byteLength && frame.bytes.buffer instanceof ArrayBuffer) transfer.push(frame.bytes.buffer);
    return this.send({ kind: 'frame', id: this.nextId++, frame }, transfer);
  }

  items(items: RawItem[], map: MapSettings, profile: string): Promise<TriagedBatch> {
    return this.send({ kind: 'items', id: this.nextId++, items, map, profile }, []);
  }

  private send(task: TriageTask, transfer: ArrayBuffer[]): Promise<TriagedBatch> {
    if (this.failure) return Promise.reject(this.failure);
    const worker = this.workers[this.next];
    this.next = (this.next + 1) % this.workers.length;
    return new Promise<TriagedBatch>((resolve, reject) => {
      this.pending.set(task.id, { resolve, reject });
      worker.postMessage(task, transfer);
    });
  }

  private settle(reply: TriageReply): void {
    const p = this.pending.get(reply.id);
    if (!p) return;
    this.pending.delete(reply.id);
    if ('error' in reply) p.reject(new Error(reply.error));
    else p.resolve(reply.batch);
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
