/**
 * Worker threads for reading: frames go out round-robin, replies come back in any order and are handed out in
 * submission order, so the output does not depend on which thread was faster.
 */
import { availableParallelism } from 'node:os';
import { movableBuffers, RoundRobinThreads, threadCountFromEnv, type ThreadReply } from './threads.js';
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

export type DecodeReply = ThreadReply<RecordEvent[]>;

/**
 * How many reader threads to use: KDR_TRIAGE_WORKERS when set, else one per core beyond the main thread (which is
 * busy triaging), at most 4.
 */
export function defaultWorkerCount(): number {
  return threadCountFromEnv() ?? Math.max(0, Math.min(4, availableParallelism() - 1));
}

export class ReaderPool {
  private readonly threads: RoundRobinThreads<RecordEvent[]>;

  constructor(size: number) {
    this.threads = new RoundRobinThreads(new URL('./worker.js', import.meta.url), size, 'a reader thread');
  }

  get size(): number {
    return this.threads.size;
  }

  /** Decode and map one frame in a worker; the frame's bytes are moved to it when it owns them (unusable here afterwards). */
  run(task: Omit<DecodeTask, 'id'>): Promise<RecordEvent[]> {
    return this.threads.send((id): DecodeTask => ({ ...task, id }), movableBuffers(task.bytes));
  }

  close(): Promise<void> {
    return this.threads.close();
  }
}
