import { describe, expect, it } from 'vitest';
import { falco, parseFdName } from '../../../src/alerts/vendors/falco.js';
import { CORPUS, FIXTURES, FORMATS, hasShared, mapAll, readNdjson } from './helpers.js';

describe('falco fixtures', () => {
  const [audit, host, older] = mapAll(falco, readNdjson(`${FIXTURES}falco-variants.ndjson`));

  it('maps a k8saudit exec alert to apiRequest and the target pod', () => {
    expect(audit.id).toBe('5a0e8b6e-1a2b-4c3d-9e8f-0123456789ab');
    expect(audit.apiRequest).toEqual({
      user: 'alice@example.com',
      groups: ['system:authenticated', 'sre'],
      verb: 'create',
      resource: 'pods',
      subresource: 'exec',
      namespace: 'shop',
      name: 'web-0',
      sourceIps: ['192.0.2.44'],
      userAgent: 'kubectl/v1.30.2',
      statusCode: 101,
      requestUri: '/api/v1/namespaces/shop/pods/web-0/exec?command=sh&container=web&stdin=true&tty=true',
    });
    expect(audit.container).toEqual({ pod: 'web-0', namespace: 'shop' });
    expect(audit.process.commandLine).toBe('sh');
    expect(audit.techniques).toEqual(['T1609']);
    expect(audit.tactics).toEqual(['TA0002']);
  });

  it('maps a Falcosidekick payload with "_" keys; container.id "host" means no container', () => {
    expect(host.container).toEqual({});
    expect(host.host.name).toBe('falco-xczjd');
    expect(host.time).toBe('2026-02-03T11:00:00.123Z');
    expect(host.process).toMatchObject({ name: 'bash', path: '/usr/bin/bash', pid: '9012', user: 'admin', uid: '1000', tty: true });
    expect(host.process.ancestors).toEqual([{ name: 'sshd', pid: '812' }]);
    expect(host.severity).toBe('medium');
  });

  it('falls back to the output text and evt.time (epoch ns) for older alerts', () => {
    expect(older.time).toBe('2026-02-03T11:05:00.000Z');
    expect(older.container).toEqual({ id: 'abcdefabcdef', pod: 'web-1', namespace: 'default', privileged: true });
    expect(older.network).toEqual({ srcIp: '10.244.0.9', srcPort: 41000, dstIp: '2001:db8::5', dstPort: 443, protocol: 'tcp' });
    expect(older.severity).toBe('critical');
    expect(older.host.name).toBeUndefined();
  });

  it('parses fd.name endpoints', () => {
    expect(parseFdName('10.0.19.42:38814->172.20.0.1:443')).toEqual({ srcIp: '10.0.19.42', srcPort: 38814, dstIp: '172.20.0.1', dstPort: 443 });
    expect(parseFdName('/etc/shadow')).toBeUndefined();
  });
});

describe.skipIf(!hasShared)('falco samples', () => {
  it('maps the real AKS output', () => {
    const alerts = mapAll(falco, readNdjson(`${FORMATS}falco/dfrappart-blog_Falco_on_AKS_falcooutput.ndjson`));
    const [shadow, , shell] = alerts;
    expect(shadow).toMatchObject({ title: 'Read sensitive file untrusted', severity: 'medium', action: 'detected', time: '2025-11-24T13:22:11.153Z' });
    expect(shadow.host.name).toBe('aks-aksnp0lab-30954262-vmss000002');
    expect(shadow.container).toEqual({ id: '1376fe875695', name: 'hellofalco', image: 'docker.io/library/nginx:latest', pod: 'hellofalco', namespace: 'default' });
    expect(shadow.process).toMatchObject({ name: 'cat', path: '/usr/bin/cat', commandLine: 'cat /etc/shadow', user: 'root', uid: '0', tty: false });
    expect(shadow.process.ancestors).toEqual([{ name: 'containerd-shim' }, { name: 'systemd' }]);
    expect(shadow.file).toEqual({ path: '/etc/shadow' });
    expect(shadow.techniques).toEqual(['T1555']);
    expect(shadow.tactics).toEqual(['TA0006']);
    expect(shell.process.tty).toBe(true);
    expect(alerts[4].severity).toBe('critical');
  });

  it('maps the event-generator fixtures (evt.time.iso8601, full ids, ancestors)', () => {
    const alerts = mapAll(falco, readNdjson(`${FORMATS}falco/elastic-integrations_test-falco.log.excerpt.ndjson`));
    expect(alerts[2].container.id).toBe('9656db3bb3588e7b23da7d48fe889434573036c27ae5a74837233de441c3601e');
    expect(alerts[2].container.image).toBe('falcosecurity/event-generator:0.10.0');
    expect(alerts[4].process.ancestors.map((a) => a.name)).toEqual(['httpd', 'event-generator', 'containerd-shim', 'runc', 'init', 'init']);
    expect(alerts[4].process.ancestors[0]).toMatchObject({ path: '/bin/event-generator', commandLine: 'httpd --loglevel info run ^helper.RunShell$' });
    expect(alerts[6].container).toMatchObject({ pod: 'kubernetes-pod-1', namespace: 'kubernetes-ns', podUid: 'aadadjh763wiuh' });
  });

  it('maps the falco.org examples: a Falco pod as hostname, and no hostname at all', () => {
    const [kubecon, alpine] = mapAll(falco, readNdjson(`${FORMATS}falco/falco-website_json_output_examples.ndjson`));
    expect(kubecon.host.name).toBe('falco-xczjd');
    expect(kubecon.time).toBe('2023-05-25T13:44:05.478Z');
    expect(kubecon.container).toMatchObject({ id: 'ee97d9c4186f', pod: 'kubecon', namespace: 'default', image: 'docker.io/library/alpine' });
    expect(kubecon.process.commandLine).toBe('sh -c clear; (bash || ash || sh)');
    expect(alpine.host.name).toBeUndefined();
    expect(alpine.container).toEqual({ id: '5892b41bcf46', pod: 'alpine', namespace: 'default' });
    expect(alpine.process.ancestors).toEqual([]);
  });
});

describe.skipIf(!hasShared)('falco on the eks-calico corpus', () => {
  it('maps every record with node, container, pod and namespace', () => {
    const alerts = mapAll(falco, readNdjson(`${CORPUS}falco.ndjson`));
    expect(alerts.length).toBeGreaterThan(20);
    for (const a of alerts) {
      expect(a.time).toMatch(/^2026-11-20T/);
      expect(a.host.name).toMatch(/\.compute\.internal$/);
      expect(a.container.id).toMatch(/^[0-9a-f]{12}$/);
      expect(a.container.pod).toBeTruthy();
      expect(a.container.namespace).toBeTruthy();
    }
    const reverse = alerts.find((a) => a.process.commandLine?.includes('/dev/tcp/'));
    expect(reverse?.network).toMatchObject({ dstIp: '203.0.113.45', dstPort: 4444 });
  });
});
