import { describe, expect, it } from 'vitest';
import { sentinelOne } from '../../../src/alerts/vendors/sentinelone.js';
import { FIXTURES, FORMATS, hasShared, mapAll, readJson, readNdjson } from './helpers.js';

const S1 = `${FORMATS}sentinelone/`;

describe('sentinelone fixtures', () => {
  const [k8s, empty] = mapAll(sentinelOne, readNdjson(`${FIXTURES}sentinelone-variants.ndjson`));
  it('maps a threat with kubernetesInfo and successful mitigations', () => {
    expect(k8s).toMatchObject({ id: '1900000000000000001', time: '2026-06-01T01:02:02.000Z', severity: 'high', action: 'quarantined', cluster: 'eks-prod' });
    expect(k8s.host).toEqual({ name: 'ip-10-1-4-20.ec2.internal', ips: ['10.1.4.20'] });
    expect(k8s.container).toEqual({ pod: 'worker-5d8f7-abcde', namespace: 'jobs', id: 'a9b8c7d6e5f4', name: 'worker', image: 'docker.io/library/python:3.12' });
    expect(k8s.process).toMatchObject({ name: 'python3', commandLine: 'python3 /tmp/miner.py --pool stratum+tcp://x:3333' });
    expect(k8s.process.user).toBeUndefined();
    expect(k8s.techniques).toEqual(['T1059.006']);
    expect(k8s.tactics).toEqual(['TA0002']);
  });
  it('treats "" and null alike and reads detect mode as detected', () => {
    expect(empty.container).toEqual({});
    expect(empty.cluster).toBeUndefined();
    expect(empty.host.name).toBe('build-01');
    expect(empty.action).toBe('detected');
    expect(empty.severity).toBe('medium');
  });
});

describe.skipIf(!hasShared)('sentinelone samples', () => {
  it('maps the threat record', () => {
    const [a] = mapAll(sentinelOne, readJson(`${S1}elastic-integrations_sentinel_one_threat_test-pipeline-threat.log.record1.json`));
    expect(a).toMatchObject({ id: '1234567890123456789', time: '2022-04-06T08:45:53.968Z', title: 'default.exe', severity: 'high', action: 'killed' });
    expect(a.host).toEqual({ name: 'test-LINUX', ips: ['10.0.0.1'] });
    expect(a.process).toMatchObject({ name: 'default.exe', user: 'test user' });
    expect(a.container).toEqual({});
  });
  it('maps the STAR alert with its parent process', () => {
    const [, a] = mapAll(sentinelOne, readNdjson(`${S1}elastic-integrations_sentinel_one_alert_test-pipeline-alert.log.excerpt.ndjson`));
    expect(a).toMatchObject({ id: '1985998272619999973', time: '2024-07-03T03:44:03.003Z', title: 'test5', severity: 'critical', action: 'detected' });
    expect(a.host.name).toBe('srv-win1');
    expect(a.process).toMatchObject({ name: 'powershell.exe', pid: '1252', user: 'NT AUTHORITY\\SYSTEM' });
    expect(a.process.ancestors[0]).toMatchObject({ name: 'CompatTelRunner.exe', pid: '4884' });
    expect(a.network).toBeUndefined();
  });
  it('maps unified alerts with the kubernetes block', () => {
    const [eicar, bash] = mapAll(sentinelOne, readNdjson(`${S1}elastic-integrations_sentinel_one_unified_alert_test.excerpt.ndjson`));
    expect(eicar).toMatchObject({ id: '01911119-abcd-7454-1234-6abcdef67893', time: '2025-02-04T15:54:59.485Z', severity: 'medium', action: 'detected', cluster: 'prod-cluster-01' });
    expect(eicar.host.name).toBe('worker-node-01');
    expect(eicar.container).toEqual({ pod: 'sentinel-daemonset-abc12', namespace: 'security', id: 'a1b2c3d4e5f6', name: 'sentinel-agent', image: 'ubuntu:22.04' });
    expect(eicar.process).toMatchObject({ name: 'curl', commandLine: '/usr/bin/curl -O https://example.com/file.txt' });
    expect(eicar.file).toMatchObject({ name: 'eicar.com.txt', path: '/tmp/eicar.com.txt' });
    expect(bash.process).toMatchObject({ name: 'bash', path: '/bin/bash', commandLine: '-bash' });
    expect(bash.process.ancestors).toEqual([{ name: 'sshd' }]);
    expect(bash.host.ips).toEqual(['81.2.69.193']);
  });
});

describe('sentinelone threat command lines', () => {
  const threat = (info: Record<string, unknown>) => ({
    agentRealtimeInfo: { agentComputerName: 'node-1' },
    threatInfo: { threatId: '1', createdAt: '2027-01-01T00:00:00Z', confidenceLevel: 'suspicious', ...info },
  });
  it('puts the threat file in front of maliciousProcessArguments, which hold argv[1…] only', () => {
    const [socat, python, miner, script] = mapAll(sentinelOne, [
      threat({ filePath: '/usr/bin/socat', originatorProcess: 'socat', maliciousProcessArguments: 'TCP-LISTEN:9100,fork TCP:10.0.0.5:9100' }),
      threat({ filePath: '/usr/local/bin/python3.11', originatorProcess: 'python3.11', maliciousProcessArguments: '-m app.serve --port 8080' }),
      threat({ filePath: '/tmp/.x/kworkerds', originatorProcess: 'entrypoint.sh', maliciousProcessArguments: '-o stratum+tcp://198.51.100.7:3333' }),
      threat({ filePath: '/tmp/miner.py', originatorProcess: 'python3', maliciousProcessArguments: '/tmp/miner.py --pool x' }),
    ]);
    expect(socat.process).toMatchObject({ name: 'socat', commandLine: '/usr/bin/socat TCP-LISTEN:9100,fork TCP:10.0.0.5:9100' });
    expect(python.process.commandLine).toBe('/usr/local/bin/python3.11 -m app.serve --port 8080');
    expect(miner.process).toMatchObject({ name: 'kworkerds', commandLine: '/tmp/.x/kworkerds -o stratum+tcp://198.51.100.7:3333' });
    expect(miner.process.ancestors).toEqual([{ name: 'entrypoint.sh', commandLine: 'entrypoint.sh' }]);
    // an interpreter's script: the arguments already carry the file, and the program is not known by path
    expect(script.process.commandLine).toBe('/tmp/miner.py --pool x');
  });
});
