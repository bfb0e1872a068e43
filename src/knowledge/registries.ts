/**
 * Container registries, for telling an impostor registry from the one it imitates. Data, not code: the public
 * registries every cluster pulls from, and the characters a look-alike host swaps (digits for letters, a dash or
 * nothing for a dot) — `fra-ocir.io` for `fra.ocir.io`, `quay.i0` for `quay.io`, `ghcr-io.net`-style names are caught
 * when their skeleton equals a known host's.
 */

/** Public registries pulled from directly (no cluster needs to use them for an imitation of them to count). */
export const WELL_KNOWN_REGISTRIES = [
  'docker.io',
  'index.docker.io',
  'registry-1.docker.io',
  'quay.io',
  'ghcr.io',
  'gcr.io',
  'k8s.gcr.io',
  'registry.k8s.io',
  'mcr.microsoft.com',
  'public.ecr.aws',
  'registry.gitlab.com',
  'nvcr.io',
  'docker.elastic.co',
  'container-registry.oracle.com',
];

/** Characters look-alike hosts substitute, mapped to what they imitate. */
export const HOMOGLYPHS: Readonly<Record<string, string>> = { '0': 'o', '1': 'l', '3': 'e', '5': 's', '7': 't' };

/** Registry host of an image reference: its first path segment when that names a host, else Docker Hub. */
export function registryHost(image: string | undefined): string | undefined {
  if (!image) return undefined;
  const ref = image.split('@')[0];
  const slash = ref.indexOf('/');
  if (slash === -1) return 'docker.io';
  const first = ref.slice(0, slash).toLowerCase();
  return first.includes('.') || first.includes(':') || first === 'localhost' ? first : 'docker.io';
}

/** The host with separators dropped and homoglyphs folded: two different hosts with one skeleton imitate each other. */
export function registrySkeleton(host: string): string {
  let out = '';
  for (const ch of host.toLowerCase().split(':')[0]) {
    if (ch === '.' || ch === '-' || ch === '_') continue;
    out += HOMOGLYPHS[ch] ?? ch;
  }
  return out;
}
