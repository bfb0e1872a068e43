/**
 * Triage threads: each takes the cluster context once, then units of records go out round-robin and their results
 * are handed back in submission order (the caller queues the promises), so the output does not depend on which
 * thread was faster.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FrameTask } from '../alerts/read.js';
import type { MapSettings, RawItem } from './decode.js';
import type { StreamFormat } from './render.js';
import type { TriagedBatch, TriageInit, TriageTask } from './triage-protocol.js';
import { movableBuffers, RoundRobinThreads } from './threads.js';

const WORKER_URL = new URL('./triage-worker.js', import.meta.url);

/** Triage threads can start: the compiled worker is there (not when running from the TypeScript sources in tests). */
export function triageWorkersAvailable(): boolean {
  return existsSync(fileURLToPath(WORKER_URL));
}

export class TriagePool {
  private readonly threads: RoundRobinThreads<TriagedBatch>;

  /** The context buffer is shared with every thread; the caller can drop its own reference once this returns. */
  constructor(size: number, context: SharedArrayBuffer, format: StreamFormat) {
    const init: TriageInit = { kind: 'init', context, format };
    this.threads = new RoundRobinThreads(WORKER_URL, size, 'a triage thread', init);
  }

  get size(): number {
    return this.threads.size;
  }

  /** A frame: its bytes are moved to the thread when the frame owns its buffer (unusable here afterwards). */
  frame(frame: FrameTask): Promise<TriagedBatch> {
    return this.threads.send((id): TriageTask => ({ kind: 'frame', id, frame }), movableBuffers(frame.bytes));
  }

  items(items: RawItem[], map: MapSettings, profile: string): Promise<TriagedBatch> {
    return this.threads.send((id): TriageTask => ({ kind: 'items', id, items, map, profile }));
  }

  close(): Promise<void> {
    return this.threads.close();
  }
}
