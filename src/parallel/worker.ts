/**
 * A reader thread: decodes record-aligned frames and maps their records through a product profile, in the order
 * given. The frames' bytes arrive transferred (not copied); the alerts go back as structured clones.
 */
import { parentPort } from 'node:worker_threads';
import { profileById } from '../alerts/vendors/index.js';
import { decodeFrame, mapItem, type RecordEvent } from './decode.js';
import type { DecodeTask, DecodeReply } from './pool.js';

if (!parentPort) throw new Error('the reader worker must run in a worker thread');
const port = parentPort;

port.on('message', (task: DecodeTask) => {
  let reply: DecodeReply;
  try {
    const profile = profileById(task.profile);
    if (!profile) throw new Error(`unknown profile ${task.profile}`);
    const frame = { kind: 'data' as const, bytes: Buffer.from(task.bytes.buffer, task.bytes.byteOffset, task.bytes.byteLength), firstLine: task.firstLine, records: task.records, elements: task.elements };
    const events: RecordEvent[] = [];
    for (const item of decodeFrame(frame, task.firstPosition, task.decode)) events.push(mapItem(item, profile, task.map));
    reply = { id: task.id, result: events };
  } catch (error) {
    reply = { id: task.id, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
});
