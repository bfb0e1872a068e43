/**
 * The registry of vendor profiles and per-file detection. Order matters only for ties: more specific products
 * come first, the generic mapping last.
 */
import { corelight } from './corelight.js';
import { cortexXdr } from './cortex-xdr.js';
import { crowdstrike } from './crowdstrike.js';
import { darktrace } from './darktrace.js';
import { datadogCws } from './datadog-cws.js';
import { defenderCloud } from './defender-cloud.js';
import { defenderXdr } from './defender.js';
import { elastic } from './elastic.js';
import { extrahop } from './extrahop.js';
import { falco } from './falco.js';
import { generic } from './generic.js';
import { guardDuty } from './guardduty.js';
import type { DetectHints, RawRecord, VendorProfile } from './profile.js';
import { sentinelOne } from './sentinelone.js';
import { suricata } from './suricata.js';
import { sysdig } from './sysdig.js';
import { tetragon } from './tetragon.js';
import { tracee } from './tracee.js';
import { vectra } from './vectra.js';
import { wazuh } from './wazuh.js';
import { zeek } from './zeek.js';

export const profiles: VendorProfile[] = [
  crowdstrike,
  defenderXdr,
  defenderCloud,
  sentinelOne,
  cortexXdr,
  elastic,
  guardDuty,
  falco,
  sysdig,
  tetragon,
  tracee,
  wazuh,
  datadogCws,
  suricata,
  zeek,
  corelight,
  darktrace,
  vectra,
  extrahop,
  generic,
];

export interface Detection {
  profile: VendorProfile;
  /** Average detect() score over the sample records, 0–1. */
  score: number;
}

/**
 * The profile with the highest average score over the sample records (the first records of a file); ties go to
 * the profile listed first. Undefined when no profile scores above 0. A profile that throws while scoring is
 * treated as scoring 0 for that record.
 */
export function detectProfile(sampleRecords: RawRecord[], hints: DetectHints, candidates: VendorProfile[] = profiles): Detection | undefined {
  if (sampleRecords.length === 0) return undefined;
  let best: Detection | undefined;
  for (const profile of candidates) {
    let total = 0;
    for (const record of sampleRecords) {
      try {
        const s = profile.detect(record, hints);
        total += Number.isFinite(s) ? Math.min(1, Math.max(0, s)) : 0;
      } catch {
        // a malformed record scores 0
      }
    }
    const score = total / sampleRecords.length;
    if (score > 0 && (best === undefined || score > best.score)) best = { profile, score };
  }
  return best;
}

export function profileById(id: string): VendorProfile | undefined {
  const wanted = id.trim().toLowerCase();
  return profiles.find((p) => p.id === wanted);
}

export type { DetectHints, MapOptions, RawRecord, VendorProfile } from './profile.js';
export { NotAnAlert, RecordError } from './profile.js';
