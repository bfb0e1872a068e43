/**
 * A triage thread: holds the cluster context and runs the whole per-record pipeline for the units it is given:
 * decode → map → triage → render. Only the rendered text and a compact digest per alert go back.
 */
import { parentPort } from 'node:worker_threads';
import { profileById } from '../alerts/vendors/index.js';
import { setExtraComponents } from '../knowledge/components.js';
import { pushDigest, type DigestCell } from '../report/digest.js';
import { triageAlert, type TriageOptions } from '../triage/pipeline.js';
import { ContextFilesError, contextIndexes, decodeContext } from './context.js';
import { decodeFrame, mapItem, type MapSettings, type RawItem } from './decode.js';
import { PieceRenderer } from './render.js';
import { RecordKind, type TriageInit, type TriagedBatch, type TriageReply, type TriageTask } from './triage-protocol.js';

if (!parentPort) throw new Error('the triage worker must run in a worker thread');
const port = parentPort;

let triage: TriageOptions | undefined;
let renderer: PieceRenderer | undefined;
let initError: string | undefined;
/** Settles once the context is in place (reading snapshot files takes a while): units wait for it, in order. */
let ready: Promise<void> = Promise.resolve();

async function init(message: TriageInit): Promise<void> {
  try {
    const context = await decodeContext(message.context);
    if (context.extraComponents.length) setExtraComponents(context.extraComponents);
    triage = { ...contextIndexes(context), policy: context.policy, batch: context.batch };
    renderer = new PieceRenderer(message.format);
  } catch (error) {
    initError = error instanceof ContextFilesError ? error.message : `the triage thread could not take the cluster context: ${error instanceof Error ? error.message : String(error)}`;
  }
}

function items(task: TriageTask): { items: RawItem[]; map: MapSettings; profile: string } {
  if (task.kind === 'items') return task;
  const f = task.frame;
  const frame = { kind: 'data' as const, bytes: Buffer.from(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength), firstLine: f.firstLine, records: f.records, elements: f.elements };
  return { items: decodeFrame(frame, f.firstPosition, f.decode), map: f.map, profile: f.profile };
}

function work(task: TriageTask): TriagedBatch {
  if (initError) throw new Error(initError);
  const unit = items(task);
  const profile = profileById(unit.profile);
  if (!profile) throw new Error(`unknown profile ${unit.profile}`);
  const kinds = new Uint8Array(unit.items.length);
  const rejected: TriagedBatch['rejected'] = [];
  const digests: DigestCell[] = [];
  unit.items.forEach((item, i) => {
    const event = mapItem(item, profile, unit.map);
    if (event.kind === 'alert') {
      const result = triageAlert(event.alert, triage!);
      pushDigest(digests, result);
      renderer!.add(result);
      kinds[i] = RecordKind.alert;
    } else if (event.kind === 'rejected') {
      rejected.push({ line: event.line, record: event.record, message: event.message });
      kinds[i] = RecordKind.rejected;
    } else {
      kinds[i] = RecordKind.skipped;
    }
  });
  return { kind: 'triaged', file: unit.map.file, kinds, rejected, digests, pieces: renderer!.take() };
}

port.on('message', (message: TriageInit | TriageTask) => {
  if (message.kind === 'init') {
    ready = init(message);
    return;
  }
  ready = ready.then(() => answer(message));
});

function answer(message: TriageTask): void {
  let reply: TriageReply;
  try {
    reply = { id: message.id, result: work(message) };
  } catch (error) {
    reply = { id: message.id, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply, 'result' in reply ? [reply.result.kinds.buffer as ArrayBuffer] : []);
}
