import { describe, expect, it } from 'vitest';
import { defenderCloud } from '../../../src/alerts/vendors/defender-cloud.js';
import { FIXTURES, FORMATS, hasShared, mapAll, readJson, readNdjson } from './helpers.js';

describe('defender-cloud fixtures', () => {
  const [node, controlPlane] = mapAll(defenderCloud, readNdjson(`${FIXTURES}defender-cloud-k8s.ndjson`));

  it('maps a K8S.NODE_ alert through the entity graph', () => {
    expect(node).toMatchObject({ id: '2516000000000000000_aaaa-bbbb', time: '2026-05-01T09:10:11.123Z', severity: 'high', action: 'detected', tactics: ['TA0004'] });
    expect(node.host.name).toBe('aks-nodepool1-12345678-vmss000002');
    expect(node.cluster).toBe('aks-prod');
    expect(node.container).toEqual({ pod: 'api-7f9d8c6b5-abcde', namespace: 'payments', id: '3f2e1d0c9b8a', name: 'api', image: 'myacr.azurecr.io/payments/api:1.4.2' });
    expect(node.process).toMatchObject({ name: 'nsenter', path: '/usr/bin/nsenter', commandLine: 'nsenter -t 1 -m -u -i -n -p -- bash', pid: '8010', user: 'root' });
    expect(node.process.ancestors).toEqual([{ name: 'sh', path: '/bin/sh', commandLine: 'sh -c id', pid: '8000', user: 'root' }]);
    expect(node.description).toMatch(/^K8S\.NODE_SuspectedContainerEscape: /);
  });

  it('maps a K8S_ control-plane alert: the compromised entity is the cluster, not a host', () => {
    expect(controlPlane.host.name).toBeUndefined();
    expect(controlPlane.cluster).toBe('aks-prod');
    expect(controlPlane.apiRequest).toEqual({ user: 'system:serviceaccount:kube-system:dashboard', sourceIps: ['198.51.100.7'], userAgent: 'curl/8.5.0' });
    expect(controlPlane.network).toEqual({ srcIp: '198.51.100.7' });
  });
});

describe.skipIf(!hasShared)('defender-cloud sample', () => {
  it('maps the sample alert with duplicated $ids without mixing up entity types', () => {
    const [a] = mapAll(defenderCloud, readJson(`${FORMATS}defender/elastic-integrations_microsoft_defender_cloud_test-alert.log.record5.json`));
    expect(a).toMatchObject({ id: '2517184898549829577_cdcf9f94-ec53-47a6-ab87-76130f87218d', time: '2023-05-11T13:15:45.017Z', severity: 'medium', title: '[SAMPLE ALERT] Login from a suspicious IP' });
    expect(a.host.name).toBe('Sample-VM');
    expect(a.container).toMatchObject({ pod: 'sample-pod', namespace: 'Sample-namespace', id: 'cc8ec8580f4c', name: 'sample-container', image: 'sample-image:v1' });
    expect(a.process).toMatchObject({ commandLine: 'php', pid: '125339', user: 'Sample-account' });
    expect(a.process.name).toBeUndefined();
    expect(a.process.ancestors).toEqual([{ pid: '124058' }]);
    expect(a.network).toEqual({ srcIp: '81.2.69.142' });
  });
});
