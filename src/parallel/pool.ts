/**
 * Worker threads for reading: frames go out round-robin, replies come back in any order and are handed out in
 * submission order, so the output does not depend on which thread was faster.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { DecodeSettings, MapSettings, RecordEvent } from './decode.js';

export interface DecodeTask {
  id: number;
  bytes: Uint8Array;
  firstLine: number;
  records: number;
  elements?: Int32Array;
  firstPosition: number;
  decode: DecodeSettings;
  map: MapSettings;
  /** Profile id from the registry (custom profiles hold functions and are decoded in the main thread). */
  profile: string;
}

export type DecodeReply = { id: number; events: RecordEvent[] } | { id: number; error: string };

/**
 * How many reader threads to use: KDR_TRIAGE_WORKERS when set, else one per core beyond the main thread (which is
 * busy triaging), at most 4.
 */
export function defaultWorkerCount(): number {
  const env = process.env.KDR_TRIAGE_WORKERS;
  if (env !== undefined && env !== '') {
    const n = Number(env);
    if (Number.isInteger(n) && n >= 0) return Math.min(n, 16);
  }
  return Math.max(0, Math.min(4, availableParallelism() - 1));
}

interface Pending {
  resolve: (events: RecordEvent[]) => void;
  reject: (error: Error) => void;
}

export class ReaderPool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private next = 0;
  private failure: Error | undefined;

  constructor(size: number) {
    for (let i = 0; i < size; i++) {
      const worker = new Worker(new URL('./worker.js', import.meta.url));
      worker.on('message', (reply: DecodeReply) => this.settle(reply));
      worker.on('error', (error) => this.fail(error));
      worker.on('exit', (code) => {
        if (code !== 0 && this.pending.size > 0) this.fail(new Error(`a reader thread stopped (exit code ${code})`));
      });
      this.workers.push(worker);
    }
  }

  get size(): number {
    return this.workers.length;
  }

  /** Decode and map one frame in a worker; the frame's bytes are moved to it (unusable here afterwards). */
  run(task: Omit<DecodeTask, 'id'>): Promise<RecordEvent[]> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    const worker = this.workers[this.next];
    this.next = (this.next + 1) % this.workers.length;
    return new Promise<RecordEvent[]>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const full: DecodeTask = { ...task, id };
      const transfer: ArrayBuffer[] = [];
      // Only a buffer the frame owns alone can be moved; a slice of a shared pool buffer is copied.
      if (task.bytes.byteOffset === 0 && task.bytes.byteLength === task.bytes.buffer.byteLength && task.bytes.buffer instanceof ArrayBuffer) transfer.push(task.bytes.buffer);
      worker.postMessage(full, transfer);
    });
  }

  private settle(reply: DecodeReply): void {
    const p = this.pending.get(reply.id);
    if (!p) return;
    this.pending.delete(reply.id);
    if ('error' in reply) p.reject(new Error(reply.error));
    else p.resolve(reply.events);
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
