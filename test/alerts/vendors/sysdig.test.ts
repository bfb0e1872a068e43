import { describe, expect, it } from 'vitest';
import { sysdig } from '../../../src/alerts/vendors/sysdig.js';
import { FIXTURES, FORMATS, hasShared, mapAll, readJson, readNdjson } from './helpers.js';

describe('sysdig fixture', () => {
  it('maps a successful KILL action and a tty', () => {
    const [a] = mapAll(sysdig, readJson(`${FIXTURES}sysdig-kill.json`));
    expect(a).toMatchObject({ id: 'aa11', time: '2026-08-01T10:00:00.000Z', severity: 'high', action: 'killed', tactics: ['TA0002'], techniques: ['T1059.004'] });
    expect(a.process).toMatchObject({ name: 'bash', pid: '501', tty: true, user: 'root', uid: '0' });
    expect(a.container).toEqual({ id: 'c0ffee123456', name: 'web', pod: 'web-0', namespace: 'shop' });
  });
});

describe.skipIf(!hasShared)('sysdig samples', () => {
  const read = () => mapAll(sysdig, readNdjson(`${FORMATS}sysdig/elastic-integrations_sysdig_alerts_test-sysdig.log.excerpt.ndjson`));
  it('maps real GKE events: node from host.hostName, pod and namespace from labels', () => {
    const [userdel, reverse] = read();
    expect(userdel).toMatchObject({ id: '17dec715376910362c8c3f62a4ceda2e', time: '2024-07-03T18:23:21.639Z', severity: 'informational', action: 'detected', cluster: 'gke-alliances-demo-6' });
    expect(userdel.host).toEqual({ name: 'gke-cluster-gcp-demo-san-default-pool-66250c41-vd1o', ips: [], instanceId: '648229130641697246' });
    expect(userdel.container).toEqual({ id: '6949e5f10829', name: 'threatgen', pod: 'threatgen-c65cf6446-5s8kk', namespace: 'default' });
    expect(userdel.process).toMatchObject({ name: 'userdel', path: '/usr/sbin/userdel', commandLine: 'userdel tmp_suid_user', pid: '2140169', user: 'root', uid: '0' });
    expect(userdel.process.ancestors[0]).toMatchObject({ name: 'pwsh', pid: '2140088' });
    expect(userdel.techniques).toContain('T1136.001');
    expect(reverse).toMatchObject({ severity: 'medium', action: 'detected' });
  });
  it('uses the node name, not the Azure instance name, on AKS', () => {
    const alerts = read();
    expect(alerts[2].host.name).toBe('aks-userpool-12996081-vmss000001');
    expect(alerts[2].container).toMatchObject({ pod: 'ama-logs-cxhbd', namespace: 'kube-system' });
  });
  it('maps a cloud (CloudTrail) event without host or container', () => {
    const alerts = read();
    expect(alerts[3]).toMatchObject({ title: 'Describe Instances', time: '2024-07-03T17:15:26.000Z' });
    expect(alerts[3].host).toEqual({ ips: [] });
    expect(alerts[3].container).toEqual({});
  });
});
