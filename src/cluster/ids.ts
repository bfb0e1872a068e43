/**
 * Container ids, pod UIDs and cgroup paths as EDR/XDR products report them, reduced to the forms the
 * Kubernetes API uses. Every input here is attacker-controlled text: parse with anchored, bounded patterns.
 */

/** Shortest container-id prefix accepted for a match (Falco reports 12 characters). */
export const MIN_CONTAINER_ID_PREFIX = 12;

const SCHEME = /^[a-z][a-z0-9+.-]{0,30}:\/\//;
/** Runtime decorations around an id in cgroup leaf names and some product fields. */
const RUNTIME_PREFIX = /^(?:cri-containerd|crio-conmon|crio|cri-o|docker|containerd|nerdctl|libpod|podman)-/;
const SCOPE_SUFFIX = /\.scope$/;
const HEX_ID = /^[0-9a-f]{12,64}$/;
const FULL_HEX_ID = /^[0-9a-f]{64}$/;

function isSchemeChar(c: number, first: boolean): boolean {
  const letter = c >= 97 && c <= 122;
  return first ? letter : letter || (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46;
}

/**
 * The id of a container id already in the form the API writes (`<runtime>://<lower-case hex>`) or bare lower-case
 * hex, checked character by character (this runs for every candidate of every lookup); undefined for anything else.
 */
export function canonicalContainerId(raw: string): string | undefined {
  const scheme = raw.indexOf('://');
  if (scheme > 31 || scheme === 0) return undefined;
  for (let i = 0; i < scheme; i++) if (!isSchemeChar(raw.charCodeAt(i), i === 0)) return undefined;
  const start = scheme >= 0 ? scheme + 3 : 0;
  const length = raw.length - start;
  if (length < MIN_CONTAINER_ID_PREFIX || length > 64) return undefined;
  for (let i = start; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return undefined;
  }
  return start === 0 ? raw : raw.slice(start);
}

/**
 * `containerd://abc…`, `cri-o://…`, `docker://…`, a bare 64-hex id, a 12+ hex prefix, or a cgroup leaf such as
 * `cri-containerd-<id>.scope` → lower-case hex, or undefined when it is not a container id.
 */
export function normalizeContainerId(raw: string | undefined | null): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const canonical = canonicalContainerId(raw);
  if (canonical !== undefined) return canonical;
  let id = raw.trim().toLowerCase();
  if (id.length > 200) return undefined;
  id = id.replace(SCHEME, '').replace(SCOPE_SUFFIX, '').replace(RUNTIME_PREFIX, '');
  return HEX_ID.test(id) ? id : undefined;
}

const UUID_BODY = '[0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12}';
const POD_UID = new RegExp(`^${UUID_BODY}$`);
const API_POD_UID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const STATIC_POD_UID = /^[0-9a-f]{32}$/;

/**
 * A pod UID as the API writes it (dashes, lower-case) from the API form, the systemd-escaped form
 * (underscores), or the 32-hex kubelet UID of a static pod (returned as-is; it is the `kubernetes.io/config.hash`).
 */
export function normalizePodUid(raw: string | undefined | null): string | undefined {
  if (typeof raw !== 'string') return undefined;
  if (API_POD_UID.test(raw)) return raw; // already as the API writes it: the common case, no copy
  const uid = raw.trim().toLowerCase();
  if (POD_UID.test(uid)) return uid.includes('_') ? uid.replace(/_/g, '-') : uid;
  if (STATIC_POD_UID.test(uid)) return uid;
  return undefined;
}

/** `pod<uid>` as a cgroup segment: `/pod<uid>/`, `kubepods-<qos>-pod<uid>.slice`, `…pod<uid>.slice:cri-containerd:…`. */
const POD_SEGMENT = new RegExp(`(?:^|[/-])pod(${UUID_BODY}|[0-9a-f]{32})(?:\\.slice)?(?=$|[/:])`, 'g');

export interface CgroupIds {
  podUid?: string;
  containerId?: string;
}

/** Strip the `<n>:<controllers>:` prefix of a `/proc/<pid>/cgroup` line. */
function cgroupPathOf(line: string): string {
  const m = /^\d+:[^:/]*:(.*)$/.exec(line);
  return m ? m[1] : line;
}

function containerIdOfLeaf(leaf: string, requireFull: boolean): string | undefined {
  const id = normalizeContainerId(leaf);
  if (!id) return undefined;
  return !requireFull || FULL_HEX_ID.test(id) ? id : undefined;
}

function parseOnePath(path: string): CgroupIds {
  const lower = path.toLowerCase();
  let podUid: string | undefined;
  let afterPod = -1;
  // The innermost pod segment wins: kind/minikube nodes nest the pod hierarchy inside the node's own container.
  for (const m of lower.matchAll(POD_SEGMENT)) {
    podUid = normalizePodUid(m[1]);
    afterPod = (m.index ?? 0) + m[0].length;
  }
  const tail = afterPod >= 0 ? lower.slice(afterPod) : lower;
  // `kubepods-…-pod<uid>.slice:cri-containerd:<id>` (runc given a systemd path it did not resolve).
  const colon = /^:([a-z0-9-]+):([0-9a-f]{12,64})$/.exec(tail);
  if (colon) return { podUid, containerId: colon[2] };
  const segments = tail.split('/').filter((s) => s !== '');
  // Leaves below the container scope (`init.scope`, podman's `container`) are not ids; walk back to the first id.
  for (let i = segments.length - 1; i >= 0; i--) {
    const id = containerIdOfLeaf(segments[i], podUid === undefined);
    if (id) return { podUid, containerId: id };
    if (podUid === undefined) break;
  }
  return podUid ? { podUid } : {};
}

/**
 * Pod UID and container id from a cgroup path in any of the forms kubelet, containerd, CRI-O and Docker produce:
 * cgroupfs (`/kubepods/<qos>/pod<uid>/<id>`, `…/crio-<id>`), systemd (`…/kubepods-<qos>-pod<uid_>.slice/cri-containerd-<id>.scope`),
 * `:cri-containerd:` paths, Guaranteed pods without a QoS segment, paths nested inside a kind node, and whole
 * `/proc/<pid>/cgroup` contents (v1 lines or the v2 `0::` line). Without a pod segment, only a full 64-hex leaf counts.
 */
export function parseCgroupPath(raw: string | undefined | null): CgroupIds {
  if (typeof raw !== 'string' || raw.length > 8192) return {};
  let best: CgroupIds = {};
  for (const line of raw.split(/\r?\n/)) {
    const path = cgroupPathOf(line.trim());
    if (!path) continue;
    const ids = parseOnePath(path);
    if (ids.podUid && ids.containerId) return ids;
    if ((ids.podUid && !best.podUid) || (ids.containerId && !best.containerId && !best.podUid)) best = ids;
  }
  return best;
}
