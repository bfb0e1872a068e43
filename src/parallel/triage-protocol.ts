/** Messages between the main thread and the triage threads (src/parallel/triage-worker.ts). */
import type { ThreadReply } from './threads.js';
import type { FrameTask } from '../alerts/read.js';
import type { DigestCell } from '../report/digest.js';
import type { MapSettings, RawItem } from './decode.js';
import type { RenderedPieces, StreamFormat } from './render.js';

export interface TriageInit {
  kind: 'init';
  context: SharedArrayBuffer;
  format: StreamFormat;
}

/** A frame to decode, or records the main thread decoded (a file's first records, Zeek rows, record problems). */
export type TriageTask = { kind: 'frame'; id: number; frame: FrameTask } | { kind: 'items'; id: number; items: RawItem[]; map: MapSettings; profile: string };

/** What became of one unit's records, in input order. */
export const RecordKind = { alert: 0, rejected: 1, skipped: 2 } as const;

export interface TriagedBatch {
  kind: 'triaged';
  file: string;
  /** One RecordKind per record, in input order. */
  kinds: Uint8Array;
  /** The rejected records, in order. */
  rejected: { line: number; record: number; message: string }[];
  /** One digest per alert (report/digest.ts). */
  digests: DigestCell[];
  /** One rendered piece per alert. */
  pieces: RenderedPieces;
}

export type TriageReply = ThreadReply<TriagedBatch>;
