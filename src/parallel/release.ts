/**
 * A full garbage collection on demand, for the one moment it matters: once the cluster context has been handed to the
 * triage threads, this thread's copy (hundreds of MB for a large cluster) is garbage, but nothing this thread does
 * afterwards allocates enough to make V8 collect its old generation, so the copy would stay resident for the whole
 * run while every thread builds its own. `gc` is exposed to a fresh context only (the flag changes nothing else).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | undefined;

export function collectGarbage(): void {
  if (!collect) {
    const exposed = (globalThis as { gc?: () => void }).gc;
    if (exposed) collect = exposed;
    else {
      setFlagsFromString('--expose-gc');
      collect = runInNewContext('gc') as () => void;
    }
  }
  collect();
}
