/**
 * Detection over every real sample: the right profile wins for each file, no other product's profile does, and
 * every record of the file maps (or is reported as NotAnAlert) without throwing anything else.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCefLine } from '../../../src/alerts/readers/cef.js';
import { parseZeekHeader, zeekRowToRecord } from '../../../src/alerts/readers/zeek-tsv.js';
import { detectProfile, profiles } from '../../../src/alerts/vendors/index.js';
import { NotAnAlert } from '../../../src/alerts/vendors/profile.js';
import type { RawRecord } from '../../../src/alerts/vendors/profile.js';
import { CORPUS, FORMATS, hasShared, parseJsonBig, readCsv, readJson, readNdjson, src } from './helpers.js';

type Reader = (path: string) => RawRecord[];
const ndjson: Reader = readNdjson;
const json: Reader = readJson;
const csv: Reader = readCsv;
const cef: Reader = (p) => [parseCefLine(readFileSync(p, 'utf8').trim()) as RawRecord];
const zeekTsv: Reader = (p) => {
  const lines = readFileSync(p, 'utf8').split('\n');
  const header = parseZeekHeader(lines.filter((l) => l.startsWith('#')));
  return lines.map((l) => (header ? zeekRowToRecord(l, header) : undefined)).filter((r): r is RawRecord => r !== undefined);
};
const panther: Reader = (p) => {
  const text = readFileSync(p, 'utf8');
  return [parseJsonBig(text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1).replace(/,\s*}$/, '}')) as RawRecord];
};

const SAMPLES: [string, Reader, string][] = [
  ['crowdstrike/elastic-integrations_alert_test-alert.log.record1.json', json, 'crowdstrike'],
  ['crowdstrike/elastic-integrations_test-falcon-epp-detection-summary.log.excerpt.ndjson', ndjson, 'crowdstrike'],
  ['crowdstrike/azure-sentinel_ASIM_CrowdStrike_Falcon_AlertEvent_IngestedLogs.header+row1.csv', csv, 'crowdstrike'],
  ['crowdstrike/devo-docs_cef_falconhost_DetectionSummaryEvent.txt', cef, 'crowdstrike'],
  ['crowdstrike/panther-analysis_crowdstrike_detection_passthrough_test.yml.txt', panther, 'crowdstrike'],
  ['defender/elastic-integrations_m365_defender_event_test-alert.log.excerpt.ndjson', ndjson, 'defender-xdr'],
  ['defender/elastic-integrations_m365_defender_alert_test-alert.log.json', json, 'defender-xdr'],
  ['defender/elastic-integrations_microsoft_defender_cloud_test-alert.log.record5.json', json, 'defender-cloud'],
  ['sentinelone/elastic-integrations_sentinel_one_threat_test-pipeline-threat.log.record1.json', json, 'sentinelone'],
  ['sentinelone/elastic-integrations_sentinel_one_alert_test-pipeline-alert.log.excerpt.ndjson', ndjson, 'sentinelone'],
  ['sentinelone/elastic-integrations_sentinel_one_unified_alert_test.excerpt.ndjson', ndjson, 'sentinelone'],
  ['cortex_xdr/elastic-integrations_panw_cortex_xdr_test-panw-xdr-v2.log.excerpt.ndjson', ndjson, 'cortex-xdr'],
  ['elastic_security/elastic-endpoint-package_alerts_sample_event.json', json, 'elastic'],
  ['elastic_security/elastic-integrations_cloud_defend_alerts_sample_event.json', json, 'elastic'],
  ['guardduty/elastic-integrations_aws_guardduty_test-guardduty.log.excerpt.ndjson', ndjson, 'guardduty'],
  ['falco/dfrappart-blog_Falco_on_AKS_falcooutput.ndjson', ndjson, 'falco'],
  ['falco/elastic-integrations_test-falco.log.excerpt.ndjson', ndjson, 'falco'],
  ['falco/falco-website_json_output_examples.ndjson', ndjson, 'falco'],
  ['sysdig/elastic-integrations_sysdig_alerts_test-sysdig.log.excerpt.ndjson', ndjson, 'sysdig'],
  ['tetragon/tetragon-docs_filename-access_process_kprobe.json', json, 'tetragon'],
  ['tetragon/tetragon-docs_nc_process_exec.json', json, 'tetragon'],
  ['tetragon/tetragon-docs_privileged-pod-nsenter.json', json, 'tetragon'],
  ['tetragon/tetragon_testdata_events.json', ndjson, 'tetragon'],
  ['tracee/tracee-docs_event_examples.ndjson.txt', ndjson, 'tracee'],
  ['wazuh/wazuh-v4.9.2_integratord-test_alert_sample.json', json, 'wazuh'],
  ['suricata/suricata-docs_eve-json-format_alert-examples.ndjson', ndjson, 'suricata'],
  ['zeek/elastic-integrations_zeek_notice_test-notice.log.ndjson', ndjson, 'zeek'],
  ['zeek/zeek-btest-baseline_scripts.policy.frameworks.intel.notice_notice.log', zeekTsv, 'zeek'],
  ['zeek/zeek-btest-baseline_scripts.policy.protocols.http.sql-injection-plus-dvwa2_notice.log', zeekTsv, 'zeek'],
  ['zeek/zeek-btest-baseline_scripts.policy.protocols.ssh.detect-bruteforcing_notice.log', zeekTsv, 'zeek'],
  ['corelight/corelight-Chronicle_python-tools_corelight.log', ndjson, 'corelight'],
  ['darktrace/elastic-integrations_darktrace_test-model-breach-alert.log.excerpt.ndjson', ndjson, 'darktrace'],
  ['darktrace/azure-sentinel_Sample-Data_AIA-Darktrace.csv', csv, 'darktrace'],
  ['vectra/elastic-integrations_vectra_detect_test-host-detection.log.excerpt.txt', ndjson, 'vectra'],
  ['extrahop/elastic-integrations_extrahop_test-pipeline-detection.log.ndjson', ndjson, 'extrahop'],
];

const CORPUS_FILES: [string, Reader, string][] = [
  ['crowdstrike-alerts.json', json, 'crowdstrike'],
  ['defender-alerts.csv', csv, 'defender-xdr'],
  ['falco.ndjson', ndjson, 'falco'],
  ['suricata-eve.json', ndjson, 'suricata'],
];

describe.skipIf(!hasShared)('detection on every sample file', () => {
  it.each([...SAMPLES.map(([f, r, id]) => [`${FORMATS}${f}`, r, id] as const), ...CORPUS_FILES.map(([f, r, id]) => [`${CORPUS}${f}`, r, id] as const)])(
    '%s → %s',
    (path, read, expected) => {
      const records = read(path);
      expect(records.length).toBeGreaterThan(0);
      const sample = records.slice(0, 20);
      const found = detectProfile(sample, { fileName: path.split('/').pop() ?? path });
      expect(found?.profile.id).toBe(expected);
      // No other product scores as high as the right one on this file.
      for (const other of profiles) {
        if (other.id === expected || other.id === 'generic') continue;
        const score = sample.reduce((s, r) => s + other.detect(r, { fileName: path }), 0) / sample.length;
        expect(score, `${other.id} on ${path}`).toBeLessThan(found?.score ?? 0);
      }
      let mapped = 0;
      records.forEach((record, n) => {
        try {
          const alert = found!.profile.map(record, src(path, n + 1));
          expect(alert.source.vendor).toBe(expected);
          mapped++;
        } catch (e) {
          // The only records allowed to fail are those that are not alerts (and the docs fragment in the Suricata sample).
          if (!(e instanceof NotAnAlert)) expect(path).toMatch(/suricata-docs/);
        }
      });
      if (!path.includes('corelight')) expect(mapped).toBeGreaterThan(0);
    },
  );
});
