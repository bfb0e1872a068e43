import { describe, expect, it } from 'vitest';
import { elastic } from '../../../src/alerts/vendors/elastic.js';
import { FIXTURES, FORMATS, hasShared, mapAll, readJson } from './helpers.js';

describe('elastic fixture', () => {
  it('maps a Kibana detection alert with a pod, a tty and a kill response', () => {
    const [a] = mapAll(elastic, readJson(`${FIXTURES}elastic-kibana.json`));
    expect(a).toMatchObject({ id: '3d7e0f5c-1111-2222-3333-444455556666', time: '2026-07-01T12:00:01.250Z', title: 'Kubectl Exec into Pod Shell', severity: 'high', action: 'killed' });
    expect(a.tactics).toEqual(['TA0002']);
    expect(a.techniques).toEqual(['T1609']);
    expect(a.host).toEqual({ name: 'node-3', ips: ['10.0.2.15'], instanceId: 'i-0abc' });
    expect(a.cluster).toBe('prod');
    expect(a.container).toEqual({ id: '0123456789abcdef', name: 'cart', image: 'registry/cart:1.2', namespace: 'shop', pod: 'cart-0' });
    expect(a.process).toMatchObject({ name: 'bash', path: '/bin/bash', commandLine: 'bash -i', pid: '7777', user: 'root', uid: '0', tty: true });
    expect(a.process.ancestors).toEqual([{ name: 'runc', path: '/usr/bin/runc', commandLine: 'runc exec -t', pid: '7770' }]);
  });
});

describe.skipIf(!hasShared)('elastic samples', () => {
  it('maps the Elastic Defend malware alert (quarantined, not a pod)', () => {
    const [a] = mapAll(elastic, readJson(`${FORMATS}elastic_security/elastic-endpoint-package_alerts_sample_event.json`));
    expect(a).toMatchObject({ id: 'MYfSjQEEEFe1o09b+++++D5Q', time: '2022-04-04T12:15:41.594Z', severity: 'high', action: 'quarantined', cluster: 'webservers' });
    expect(a.host.name).toBe('security-win-1');
    expect(a.host.ips).toContain('10.201.0.34');
    expect(a.container).toEqual({ id: '4c9c9cb3-f80f-44d8-9c89-6168243b7f21', name: 'nginx', image: 'docker.io/library/nginx:latest', namespace: 'webapp' });
    expect(a.process).toMatchObject({ name: 'System', pid: '4', user: 'SYSTEM' });
    expect(a.file?.hash).toBe('90143dfb2e3210f18e1bcc50eb6c3961d11071e3ec024215b8835e468fa63e53');
  });
  it('maps the cloud_defend alert with dotted keys inside objects and a zero time', () => {
    const [a] = mapAll(elastic, readJson(`${FORMATS}elastic_security/elastic-integrations_cloud_defend_alerts_sample_event.json`));
    expect(a.time).toBeNull();
    expect(a.action).toBe('blocked');
    expect(a.cluster).toBe('my_cluster');
    expect(a.container).toEqual({ id: 'b781c8e5-8bf9-445e-aef2-25020af698df', image: 'nginx:latest', namespace: 'default', pod: 'nginx-pod' });
    expect(a.process).toMatchObject({ name: 'nginx', path: '/bin/nginx', pid: '2', user: 'root', uid: '0' });
    expect(a.process.ancestors).toEqual([{ pid: '1' }]);
  });
});

describe('elastic flat keys (Kibana Discover CSV report)', () => {
  const row = {
    '@timestamp': '2027-08-19T12:00:09.441Z',
    'kibana.alert.rule.name': 'Database Dump via pg_dump',
    'kibana.alert.severity': 'medium',
    'host.name': 'k8s-wrk-04',
    'host.ip': '10.20.0.24, 10.244.6.1',
    'user.name': 'postgres',
    'process.pid': '2310554',
    'process.name': 'pg_dump',
    'process.executable': '/usr/lib/postgresql/16/bin/pg_dump',
    'process.command_line': 'pg_dump -h db -U reporter fleet',
    'process.parent.name': 'sh',
    'process.parent.command_line': '/bin/sh -c pg_dump -h db -U reporter fleet | gzip > /export/x.sql.gz',
    'container.id': '',
    'kibana.alert.uuid': 'u-1',
  };
  it('reads the process and its parent from dotted column names', () => {
    const [a] = mapAll(elastic, [row]);
    expect(a.process).toMatchObject({ name: 'pg_dump', path: '/usr/lib/postgresql/16/bin/pg_dump', commandLine: 'pg_dump -h db -U reporter fleet', pid: '2310554', user: 'postgres' });
    expect(a.process.ancestors).toEqual([{ name: 'sh', commandLine: '/bin/sh -c pg_dump -h db -U reporter fleet | gzip > /export/x.sql.gz' }]);
    expect(a.host).toMatchObject({ name: 'k8s-wrk-04', ips: ['10.20.0.24', '10.244.6.1'] });
    expect(a.container.id).toBeUndefined();
  });
  it('keeps the parent out of the process when only parent columns exist', () => {
    const [a] = mapAll(elastic, [{ '@timestamp': '2027-08-19T12:00:09Z', 'kibana.alert.uuid': 'u-2', 'process.parent.name': 'bash' }]);
    expect(a.process.name).toBeUndefined();
    expect(a.process.ancestors).toEqual([{ name: 'bash' }]);
  });
});
