/**
 * Kubeconfig resolution the way kubectl does it: `--kubeconfig` alone when given; else every file of `KUBECONFIG`
 * (a path list) merged with the first file winning each name and the current-context; else `~/.kube/config`; else
 * the in-cluster service account. Only the client library's types are imported here: the library itself is passed
 * in by the caller, which imports it on demand.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import type * as K8s from '@kubernetes/client-node';

export type K8sModule = typeof K8s;

const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

export interface KubeconfigSource {
  /** Files in precedence order (empty: in-cluster configuration). */
  files: string[];
  /** Where the list came from, for messages. */
  origin: '--kubeconfig' | 'KUBECONFIG' | '~/.kube/config' | 'in-cluster';
}

export class KubeconfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KubeconfigError';
  }
}

export function resolveKubeconfigFiles(
  explicit: string | undefined,
  env: Record<string, string | undefined> = process.env,
  home: string = homedir(),
  fileExists: (path: string) => boolean = existsSync,
): KubeconfigSource {
  if (explicit !== undefined && explicit !== '') {
    if (!fileExists(explicit)) throw new KubeconfigError(`kubeconfig ${explicit} (--kubeconfig) does not exist`);
    return { files: [explicit], origin: '--kubeconfig' };
  }
  const list = env.KUBECONFIG;
  if (list !== undefined && list !== '') {
    // kubectl skips KUBECONFIG entries that do not exist.
    const files = [...new Set(list.split(delimiter).filter((p) => p !== ''))].filter((p) => fileExists(p));
    if (files.length === 0) throw new KubeconfigError(`none of the files in KUBECONFIG (${list}) exists`);
    return { files, origin: 'KUBECONFIG' };
  }
  const standard = join(home, '.kube', 'config');
  if (fileExists(standard)) return { files: [standard], origin: '~/.kube/config' };
  if (fileExists(SERVICE_ACCOUNT_TOKEN)) return { files: [], origin: 'in-cluster' };
  throw new KubeconfigError(`no kubeconfig: pass --kubeconfig, set KUBECONFIG, or create ${standard}`);
}

/** Loads and merges the files; the first file to define a name (or a current-context) wins, as with kubectl. */
export function loadKubeConfig(k8s: K8sModule, source: KubeconfigSource): K8s.KubeConfig {
  const merged = new k8s.KubeConfig();
  if (source.files.length === 0) {
    merged.loadFromCluster();
    return merged;
  }
  const clusters = new Map<string, K8s.Cluster>();
  const users = new Map<string, K8s.User>();
  const contexts = new Map<string, K8s.Context>();
  let currentContext = '';
  for (const file of source.files) {
    const one = new k8s.KubeConfig();
    try {
      // loadFromFile also makes certificate/key/exec paths absolute relative to the file, as kubectl does.
      one.loadFromFile(file, { onInvalidEntry: 'filter' });
    } catch (error) {
      // The parser's message goes on to quote the lines around the error, tokens and keys included: first line only.
      throw new KubeconfigError(`cannot read kubeconfig ${file}: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`);
    }
    for (const c of one.getClusters()) if (!clusters.has(c.name)) clusters.set(c.name, c);
    for (const u of one.getUsers()) if (!users.has(u.name)) users.set(u.name, u);
    for (const c of one.getContexts()) if (!contexts.has(c.name)) contexts.set(c.name, c);
    if (currentContext === '' && one.getCurrentContext()) currentContext = one.getCurrentContext();
  }
  merged.loadFromOptions({ clusters: [...clusters.values()], users: [...users.values()], contexts: [...contexts.values()], currentContext });
  return merged;
}

export interface ResolvedContext {
  /** Context name as the kubeconfig spells it. */
  context: string;
  /** The context's cluster entry name. */
  cluster: string;
  server: string;
  skipTlsVerify: boolean;
}

/** Selects `requested` ('current' or undefined = the kubeconfig's current-context) on `kc`. */
export function selectContext(kc: K8s.KubeConfig, requested: string | undefined, source: KubeconfigSource): ResolvedContext {
  const where = source.origin === 'in-cluster' ? 'the in-cluster configuration' : `kubeconfig ${source.files.join(delimiter)}`;
  let name = requested;
  if (name === undefined || name === '' || name === 'current') {
    name = kc.getCurrentContext();
    if (!name) throw new KubeconfigError(`${where} has no current-context; pass --context NAME`);
  }
  const context = kc.getContextObject(name);
  if (!context) {
    const known = kc.getContexts().map((c) => c.name).sort();
    throw new KubeconfigError(`context "${name}" is not in ${where}${known.length > 0 ? ` (contexts: ${known.join(', ')})` : ' (it has no contexts)'}`);
  }
  const cluster = kc.getCluster(context.cluster);
  if (!cluster) throw new KubeconfigError(`context "${name}" names cluster "${context.cluster}", which is not in ${where}`);
  if (context.user && !kc.getUser(context.user)) throw new KubeconfigError(`context "${name}" names user "${context.user}", which is not in ${where}`);
  kc.setCurrentContext(name);
  return { context: name, cluster: cluster.name, server: withoutUserinfo(cluster.server), skipTlsVerify: cluster.skipTLSVerify === true };
}

/** `https://user:password@host` → `https://host`: the server is shown in messages and stored in snapshots. */
export function withoutUserinfo(server: string): string {
  return server.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i, '$1');
}
