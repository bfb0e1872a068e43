/**
 * JSON and NDJSON readers. Integers beyond 2^53 (epoch nanoseconds, 64-bit process ids) are kept exact by turning
 * them into strings before JSON.parse; a JSON document is split into records as it streams, so a large array
 * export is never held whole.
 */

const BIG_INT_CANDIDATE = /\d{16}/;
const STRING_OR_BIG_INT = /"(?:[^"\\]|\\.)*"|(?<![\d.eE+-])(-?\d{16,})(?![\d.eE])/g;

export function protectBigInts(text: string): string {
  if (!BIG_INT_CANDIDATE.test(text)) return text;
  return text.replace(STRING_OR_BIG_INT, (match, digits: string | undefined) => {
    if (digits === undefined) return match;
    const n = Number(digits);
    return Number.isSafeInteger(n) ? match : `"${digits}"`;
  });
}

export function parseJsonRecord(text: string): unknown {
  return JSON.parse(protectBigInts(text));
}

/** Keys under which exports wrap their list of alerts. */
export const ARRAY_KEYS = new Set([
  'resources',
  'alerts',
  'data',
  'items',
  'value',
  'results',
  'records',
  'hits',
  'findings',
  'Findings',
  'detections',
  'threats',
  'incidents',
  'signals',
]);

export interface JsonElement {
  text: string;
  /** 1-based line where the element starts. */
  line: number;
}

/**
 * Streams the records of a JSON document: the elements of a top-level array, the elements of an array held by a
 * top-level object under a known key (possibly nested one level, e.g. {"reply":{"alerts":[…]}}), or, when the document
 * holds no such array, the top-level values themselves (a single object, or concatenated objects).
 */
export async function* splitJsonDocument(chunks: AsyncIterable<string>, maxRecordChars = 64 * 1024 * 1024): AsyncGenerator<JsonElement | { error: string; line: number }> {
  // Path of containers: each entry is '[' or '{'; and for objects the current key.
  const stack: { kind: '[' | '{'; key?: string; emit: boolean }[] = [];
  let inString = false;
  let escape = false;
  let line = 1;
  let buf = '';
  let capturing = false;
  let captureDepth = 0;
  let captureLine = 0;
  let keyBuf: string | null = null;
  let lastString = '';
  let expectingKey = false;
  let topLevelEmitting = false;
  let sawWrapperArray = false;
  let topObjectText = '';
  let topObjectLine = 0;

  let afterCr = false;
  // A scalar element of an emitting array (42, "text", null) is not a record: it comes out as one that fails to parse
  // into an object, so it is counted and reported instead of silently skipped.
  let scalarLine = 0;
  const inEmittingArray = () => !capturing && stack.length > 0 && stack[stack.length - 1].kind === '[' && stack[stack.length - 1].emit;
  for await (const chunk of chunks) {
    let segStart = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i];
      // LF, CRLF and a lone CR each end a line (as readers/input.ts lines() counts them).
      if (c === '\r' || (c === '\n' && !afterCr)) line++;
      afterCr = c === '\r';
      if (inString) {
        // Keys are short; a long string value outside any record must not be buffered.
        if (keyBuf !== null && keyBuf.length <= 256) keyBuf += c;
        if (escape) escape = false;
        else if (c === '\\') escape = true;
        else if (c === '"') {
          inString = false;
          if (keyBuf !== null) {
            lastString = keyBuf.slice(0, -1);
            keyBuf = null;
          }
        }
        continue;
      }
      if (c === '"') {
        inString = true;
        if (!capturing && stack.length > 0) keyBuf = '';
        if (inEmittingArray()) scalarLine ||= line;
        continue;
      }
      if (inEmittingArray() && c !== '{' && c !== '[' && c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r') {
        if (c !== ',' && c !== ']') scalarLine ||= line;
        else if (scalarLine) {
          yield { text: '"(a scalar, not an object)"', line: scalarLine };
          scalarLine = 0;
        }
      }
      if (c === '{' || c === '[') {
        if (!capturing) {
          const parent = stack[stack.length - 1];
          const emitHere = parent ? parent.emit : false;
          if (emitHere || (stack.length === 0 && topLevelEmitting)) {
            capturing = true;
            captureDepth = stack.length;
            captureLine = line;
            segStart = i;
            buf = '';
          } else if (stack.length === 0 && c === '{') {
            topObjectLine = line;
            topObjectText = '';
            segStart = i;
          }
          let emit = false;
          if (!capturing) {
            if (stack.length === 0 && c === '[') emit = true;
            else if (c === '[' && parent?.kind === '{' && stack.length <= 2 && parent.key !== undefined && ARRAY_KEYS.has(parent.key)) {
              emit = true;
              sawWrapperArray = true;
            }
          }
          stack.push({ kind: c, emit });
          expectingKey = c === '{';
        } else {
          stack.push({ kind: c, emit: false });
        }
        continue;
      }
      if (c === '}' || c === ']') {
        stack.pop();
        if (capturing && stack.length === captureDepth) {
          buf += chunk.slice(segStart, i + 1);
          capturing = false;
          yield { text: buf, line: captureLine };
          buf = '';
        } else if (!capturing && stack.length === 0 && c === '}') {
          if (!sawWrapperArray) {
            topObjectText += chunk.slice(segStart, i + 1);
            yield { text: topObjectText, line: topObjectLine };
            topLevelEmitting = true;
          }
          topObjectText = '';
        }
        continue;
      }
      if (!capturing && c === ':' && stack.length > 0) {
        const top = stack[stack.length - 1];
        if (top.kind === '{') top.key = lastString;
        expectingKey = false;
      } else if (!capturing && c === ',' && stack.length > 0) {
        expectingKey = stack[stack.length - 1].kind === '{';
      }
    }
    void expectingKey;
    if (capturing) {
      buf += chunk.slice(segStart);
      if (buf.length > maxRecordChars) {
        yield { error: `record starting at line ${captureLine} is larger than ${maxRecordChars} characters`, line: captureLine };
        return;
      }
    } else if (stack.length > 0 && !sawWrapperArray && stack[0].kind === '{') {
      topObjectText += chunk.slice(segStart);
      if (topObjectText.length > maxRecordChars) {
        yield { error: `object starting at line ${topObjectLine} is larger than ${maxRecordChars} characters`, line: topObjectLine };
        return;
      }
    }
  }
  if (capturing || stack.length > 0) yield { error: 'the JSON document ends before it is complete (truncated file?)', line };
}
