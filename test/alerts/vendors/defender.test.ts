import { describe, expect, it } from 'vitest';
import { defenderXdr } from '../../../src/alerts/vendors/defender.js';
import { RecordError } from '../../../src/alerts/vendors/profile.js';
import { CORPUS, FIXTURES, FORMATS, hasShared, mapAll, readCsv, readJson, readNdjson, src } from './helpers.js';

describe('defender-xdr fixtures', () => {
  it('maps Advanced Hunting CSV rows with AdditionalFields, AttackTechniques and a multi-line command line', () => {
    const [shell, miner] = mapAll(defenderXdr, readCsv(`${FIXTURES}defender-hunting.csv`), 'd.csv');
    expect(shell).toMatchObject({
      id: 'da6381111111111111_-2222',
      time: '2026-04-01T10:15:02.123Z',
      title: 'Suspicious shell with an attached terminal',
      severity: 'high',
      action: 'unknown',
      tactics: ['TA0002'],
      techniques: ['T1059.004'],
    });
    expect(shell.host).toEqual({ name: 'aks-nodepool1-12345678-vmss000001', ips: ['10.224.0.5'] });
    expect(shell.process).toMatchObject({ name: 'bash', path: '/usr/bin/bash', pid: '77123', user: 'root', uid: '0', tty: true });
    expect(shell.process.commandLine).toBe('bash -c "id; cat /etc/shadow"');
    expect(shell.process.ancestors).toEqual([
      {
        name: 'containerd-shim-runc-v2',
        path: '/usr/bin/containerd-shim-runc-v2',
        commandLine: '/usr/bin/containerd-shim-runc-v2 -namespace k8s.io -id 0f0e0d0c',
        pid: '4410',
        user: 'root',
        uid: '0',
      },
      { name: 'systemd', pid: '1' },
    ]);
    expect(shell.network).toBeUndefined();
    expect(miner.process.commandLine).toBe('/tmp/xmrig --donate-level 1\n -o pool.example:3333');
    expect(miner.process.tty).toBeUndefined();
    expect(miner.network).toEqual({ srcIp: '10.224.0.5', dstIp: '203.0.113.50', dstPort: 3333, url: 'pool.example', domain: 'pool.example' });
    expect(miner.tactics).toEqual(['TA0011']);
  });

  it('maps Graph alerts_v2 with Kubernetes pod and container evidence', () => {
    const [a] = mapAll(defenderXdr, readJson(`${FIXTURES}defender-graph-k8s.json`));
    expect(a.id).toBe('ed123456789012345678_-1234567890');
    expect(a.time).toBe('2026-05-06T07:05:00.000Z');
    expect(a.cluster).toBe('aks-prod-weu');
    expect(a.container).toEqual({
      id: '4f1c2d3e4b5a69788796a5b4c3d2e1f04f1c2d3e4b5a69788796a5b4c3d2e1f0',
      name: 'tools',
      image: 'docker.io/library/ubuntu:22.04',
      privileged: true,
      pod: 'debug-tools-7d9c',
      namespace: 'ops',
    });
    expect(a.process.commandLine).toBe('/bin/sh -c sleep infinity');
    expect(a.action).toBe('blocked');
    expect(a.techniques).toEqual(['T1611']);
    expect(a.tactics).toEqual(['TA0004']);
  });

  it('refuses a record without Defender columns', () => {
    expect(() => defenderXdr.map({ foo: 1 }, src('x'))).toThrow(RecordError);
  });
});

describe.skipIf(!hasShared)('defender-xdr samples', () => {
  it('maps the Event Hub AdvancedHunting envelopes', () => {
    const [evidence, info, process] = mapAll(defenderXdr, readNdjson(`${FORMATS}defender/elastic-integrations_m365_defender_event_test-alert.log.excerpt.ndjson`));
    expect(evidence).toMatchObject({ id: 'da638034938542195558_2006612345', time: '2022-11-08T08:41:56.595Z' });
    expect(evidence.host).toEqual({ name: 'TestMachine1', ips: ['81.2.69.192'] });
    expect(evidence.file).toEqual({
      name: 'ai_alternate_stream_s7f_48qa.txt:ai-8xNfG12345',
      path: 'C:\\Windows\\Temp\\ai_alternate_stream_s7f_48qa.txt:ai-8xNfG12345',
      hash: 'bd914e55d55a31b7bdc95fa617f9925ff3eba703afd7a8b70cea18dcae512345',
    });
    expect(info).toMatchObject({ title: 'Anomalous silent process exit monitor registration', severity: 'medium', techniques: ['T1078', 'T1078.004'] });
    expect(process.host.name).toBe('dummyvalue');
    expect(process.time).toBe('2024-09-10T03:59:59.294Z');
    expect(process.process).toMatchObject({ name: 'tar', path: '/usr/bin/tar', pid: '216032', user: 'root', uid: '0' });
    expect(process.process.commandLine).toBe('tar -df alternatives.tar.0 -C /var/lib/dpkg alternatives');
    expect(process.process.ancestors[0]).toMatchObject({ name: 'dash', commandLine: '/bin/sh /usr/libexec/dpkg/dpkg-db-backup', uid: '0' });
    expect(process.process.ancestors[1]).toMatchObject({ name: 'dash', pid: '215957' });
    expect(process.container).toEqual({});
  });

  it('maps the Graph alerts_v2 object', () => {
    const [a] = mapAll(defenderXdr, readJson(`${FORMATS}defender/elastic-integrations_m365_defender_alert_test-alert.log.json`));
    expect(a).toMatchObject({ id: 'da637551227677560813_-961444813', severity: 'low', action: 'detected', time: '2021-04-26T07:45:50.116Z' });
    expect(a.host).toMatchObject({ name: 'tempDns', ips: ['1.1.1.1'] });
    expect(a.process).toMatchObject({ name: 'MsSense.exe', pid: '4780', commandLine: '"MsSense.exe"', user: 'SYSTEM' });
    expect(a.process.ancestors[0]).toMatchObject({ name: 'services.exe', pid: '668' });
  });
});

describe('defender-xdr Graph alerts_v2 parent process evidence', () => {
  const proc = (pid: number, ppid: number, cmd: string, image: string, parentImage: string, detected: boolean) => ({
    '@odata.type': '#microsoft.graph.security.processEvidence',
    processId: pid,
    parentProcessId: ppid,
    processCommandLine: cmd,
    ...(detected ? { detectionStatus: 'detected' } : {}),
    imageFile: { fileName: image.split('/').pop(), filePath: image.slice(0, image.lastIndexOf('/')) },
    parentProcessImageFile: { fileName: parentImage.split('/').pop(), filePath: parentImage.slice(0, parentImage.lastIndexOf('/')) },
    userAccount: { accountName: 'root' },
  });
  const alert = (evidence: object[]) => ({
    '@odata.type': '#microsoft.graph.security.alert',
    id: 'da1_1',
    title: 'Suspicious base64 decoding activity',
    firstActivityDateTime: '2027-03-16T08:38:45.0940000Z',
    evidence: [{ '@odata.type': '#microsoft.graph.security.deviceEvidence', deviceDnsName: 'node-1.example', ipInterfaces: ['10.0.0.1'] }, ...evidence],
  });

  it('takes the parent command line and the grandparent from the process evidence whose id is the parent pid', () => {
    const [a] = mapAll(defenderXdr, [alert([proc(200, 100, 'base64 -d', '/bin/base64', '/bin/sh', true), proc(100, 50, '/bin/sh -ec echo x | base64 -d', '/bin/sh', '/usr/bin/containerd-shim-runc-v2', false)])]);
    expect(a.process).toMatchObject({ commandLine: 'base64 -d', pid: '200' });
    expect(a.process.ancestors).toEqual([
      { name: 'sh', path: '/bin/sh', pid: '100', commandLine: '/bin/sh -ec echo x | base64 -d', user: 'root' },
      { name: 'containerd-shim-runc-v2', path: '/usr/bin/containerd-shim-runc-v2', pid: '50' },
    ]);
  });

  it('does not take another process evidence (not the parent) as the parent', () => {
    const [a] = mapAll(defenderXdr, [alert([proc(200, 100, 'base64 -d', '/bin/base64', '/bin/sh', true), proc(300, 1, 'curl http://203.0.113.9/x', '/usr/bin/curl', '/sbin/init', false)])]);
    expect(a.process.ancestors).toEqual([{ name: 'sh', path: '/bin/sh', pid: '100' }]);
  });
});

describe.skipIf(!hasShared)('defender-xdr on the eks-calico corpus', () => {
  it('maps every row with time, host and process', () => {
    const alerts = mapAll(defenderXdr, readCsv(`${CORPUS}defender-alerts.csv`));
    expect(alerts.length).toBeGreaterThan(10);
    for (const a of alerts) {
      expect(a.time).toMatch(/^2026-11-20T/);
      expect(a.id).toMatch(/^da/);
      if (a.raw.EntityType !== 'Process') continue;
      expect(a.host.name).toMatch(/\.compute\.internal$/);
      expect(a.process.commandLine).toBeTruthy();
    }
    expect(alerts[0].process).toMatchObject({ name: 'rm', uid: '0', commandLine: 'rm -f /etc/cron.d/0hourly-sync' });
    const apiCall = alerts.find((a) => a.raw.EntityType === 'CloudLogonSession');
    expect(apiCall?.cluster).toBe('shop-prod-eks');
    expect(apiCall?.apiRequest).toMatchObject({ user: 'system:serviceaccount:shop:checkout', namespace: 'shop', sourceIps: ['203.0.113.45'] });
    expect(apiCall?.apiRequest?.userAgent).toMatch(/^kubectl\//);
  });
});
