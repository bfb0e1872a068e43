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
  const event = (fields: Record<string, string>, containerId = 'c0ffee123456') => ({
    id: 'x', timestamp: 1804608135550100224, timestampRFC3339Nano: '2027-03-09T16:02:15.550100224Z', severity: 5, containerId,
    content: { ruleName: 'r', ruleType: 'RULE_TYPE_FALCO', fields, policyOrigin: 'Sysdig' }, labels: { 'host.hostName': 'ip-10-42-40-8.us-east-2.compute.internal' },
  });
  it("reads content.fields' fd.name as a connection or a file, the grandparents, the privilege flag, and a host process", () => {
    const [connection, file, host] = mapAll(sysdig, [
      event({ 'proc.name': 'curl', 'fd.name': '10.42.40.8:49222->169.254.169.254:80', 'fd.sip.name': 'instance-data', 'container.privileged': 'true' }),
      event({ 'proc.name': 'java', 'fd.name': '/var/run/secrets/eks.amazonaws.com/serviceaccount/token', 'proc.pname': 'instrument' }),
      event({ 'proc.name': 'aws-guardduty-agent', 'proc.pname': 'sh', 'proc.aname[2]': 'nsenter', 'proc.aname[3]': 'sh' }, 'host'),
    ]);
    expect(connection.network).toMatchObject({ srcIp: '10.42.40.8', srcPort: 49222, dstIp: '169.254.169.254', dstPort: 80, domain: 'instance-data' });
    expect(connection.container.privileged).toBe(true);
    expect(connection.file).toBeUndefined();
    expect(file.file).toEqual({ path: '/var/run/secrets/eks.amazonaws.com/serviceaccount/token' });
    expect(file.network).toBeUndefined();
    expect(host.container.id).toBeUndefined();
    expect(host.process.ancestors.map((a) => a.name)).toEqual(['sh', 'nsenter', 'sh']);
  });
});

describe('sysdig output grandparents', () => {
  const withOutput = (output: string, fields: Record<string, string> = { 'proc.name': 'pip', 'proc.pname': 'bash' }) => ({
    id: 'y', timestamp: 1804608135550100224, severity: 5, containerId: 'c0ffee123456',
    content: { ruleName: 'r', ruleType: 'RULE_TYPE_FALCO', fields, output, policyOrigin: 'Sysdig' }, labels: { 'host.hostName': 'n1' },
  });
  it('reads gparent/ggparent from the output text when the fields lack proc.aname', () => {
    const [a] = mapAll(sysdig, [withOutput('Package management process launched (proc.name=pip proc.pname=bash gparent=jupyter-lab ggparent=s6-supervise gggparent=<NA> container_id=c0ffee123456)')]);
    expect(a.process.ancestors.map((x) => x.name)).toEqual(['bash', 'jupyter-lab', 's6-supervise']);
  });
  it('prefers proc.aname fields, and ignores a key the command line repeats (forged)', () => {
    const [fields, forged] = mapAll(sysdig, [
      withOutput('x (proc.pname=bash gparent=jupyter-lab)', { 'proc.name': 'pip', 'proc.pname': 'bash', 'proc.aname[2]': 'runc' }),
      withOutput('x (proc.cmdline=pip install x gparent=jupyter-lab proc.pname=bash gparent=containerd-shim)'),
    ]);
    expect(fields.process.ancestors.map((x) => x.name)).toEqual(['bash', 'runc']);
    expect(forged.process.ancestors.map((x) => x.name)).toEqual(['bash']);
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
    // gparent=containerd-shim ggparent=<NA> in the output text: the grandparent, and nothing beyond it.
    expect(userdel.process.ancestors.map((a) => a.name)).toEqual(['pwsh', 'containerd-shim']);
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
