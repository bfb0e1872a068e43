import { describe, expect, it } from 'vitest';
import { guardDuty } from '../../../src/alerts/vendors/guardduty.js';
import { FIXTURES, FORMATS, hasShared, mapAll, readNdjson } from './helpers.js';

describe('guardduty fixtures', () => {
  const [runtime, audit] = mapAll(guardDuty, readNdjson(`${FIXTURES}guardduty-variants.ndjson`));
  it('maps an EventBridge runtime finding with a pod workload and process lineage', () => {
    expect(runtime).toMatchObject({ id: 'f1', time: '2026-08-01T09:59:58.000Z', severity: 'critical', action: 'detected', cluster: 'shop-prod', tactics: ['TA0002'] });
    expect(runtime.host).toEqual({ name: 'ip-10-0-1-5.eu-west-1.compute.internal', ips: ['10.0.1.5'], instanceId: 'i-0123' });
    expect(runtime.container).toEqual({ id: '5a4b3c2d1e0f', name: 'web', image: '1111.dkr.ecr.eu-west-1.amazonaws.com/web:3', privileged: false, namespace: 'shop', pod: 'web-7c9d6-xk2lp', podUid: '0f1e2d3c-aaaa-bbbb-cccc-123456789abc' });
    expect(runtime.process).toMatchObject({ name: 'bash', path: '/usr/bin/bash', pid: '4242', user: 'www-data', uid: '33', startTime: '2026-08-01T09:59:58.250Z' });
    expect(runtime.process.ancestors).toEqual([{ name: 'sh', pid: '4240', path: '/bin/sh', uid: '33' }, { name: 'php-fpm', pid: '1200' }]);
  });
  it('maps an EKS audit finding to apiRequest', () => {
    expect(audit.severity).toBe('low');
    expect(audit.apiRequest).toEqual({
      user: 'system:anonymous',
      groups: ['system:unauthenticated'],
      verb: 'create',
      resource: 'pods',
      subresource: 'exec',
      namespace: 'shop',
      name: 'web-0',
      sourceIps: ['198.51.100.9'],
      userAgent: 'kubectl/v1.30.0',
      statusCode: 101,
      requestUri: '/api/v1/namespaces/shop/pods/web-0/exec',
    });
    expect(audit.host).toEqual({ ips: [] });
    // The exec targets one pod and the finding names no workload: the finding is about that pod.
    expect(audit.container).toEqual({ namespace: 'shop', pod: 'web-0' });
  });
  it('places an audit finding on a pod only when the request names one pod and no workload is given', () => {
    const finding = (action: Record<string, unknown>, workload: Record<string, unknown> | null = null) => ({
      schemaVersion: '2.0', accountId: '1', region: 'us-east-2', id: 'x', arn: 'arn:aws:guardduty:us-east-2:1:detector/d/finding/x', type: 'Discovery:Kubernetes/X',
      resource: { resourceType: 'EKSCluster', kubernetesDetails: { kubernetesUserDetails: { username: 'u' }, kubernetesWorkloadDetails: workload } },
      service: { serviceName: 'guardduty', action: { actionType: 'KUBERNETES_API_CALL', kubernetesApiCallAction: action } },
    });
    const [secrets, deployment] = mapAll(guardDuty, [
      finding({ verb: 'list', resource: 'secrets', namespace: 'ml', requestUri: '/api/v1/namespaces/ml/secrets' }),
      finding({ verb: 'create', resource: 'pods', namespace: 'ml', resourceName: 'p-1' }, { name: 'warm', type: 'deployments', namespace: 'ml', containers: [] }),
    ]);
    expect(secrets.container).toEqual({});
    expect(deployment.container).toEqual({ namespace: 'ml', workload: { kind: 'Deployment', name: 'warm' } });
  });
});

describe.skipIf(!hasShared)('guardduty samples', () => {
  it('maps the EKS audit and runtime sample findings', () => {
    const [audit, runtime] = mapAll(guardDuty, readNdjson(`${FORMATS}guardduty/elastic-integrations_aws_guardduty_test-guardduty.log.excerpt.ndjson`));
    expect(audit).toMatchObject({ id: '250023a9abcdefabcdef12345678', time: '2022-11-17T09:33:19.000Z', severity: 'high', cluster: 'GeneratedFindingEKSClusterName' });
    expect(audit.apiRequest).toMatchObject({ user: 'system:anonymous', verb: 'get', sourceIps: ['175.16.199.1'], statusCode: 200 });
    expect(runtime).toMatchObject({ id: 'abcd1234', severity: 'medium', tactics: ['TA0004'] });
    expect(runtime.host).toEqual({ name: 'ip-10-30-30-15.us-west-1.compute.internal', ips: ['10.30.30.15'], instanceId: 'i-abcd1234' });
    expect(runtime.container).toEqual({ id: 'abcd1234', image: 'abcd1234.us-west-1.amazonaws.com/mirror/test/infrastructure-bundle:2.8.37' });
    expect(runtime.process).toMatchObject({ name: 'sshd', path: '/usr/bin/ssh', pid: '2345', uid: '1000' });
    expect(runtime.process.ancestors.map((a) => a.pid)).toEqual(['123', '456']);
  });
});
