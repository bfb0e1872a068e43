import { describe, expect, it } from 'vitest';
import { sanitizeObject } from '../../src/cluster/sanitize.js';

class V1ObjectMetaLike {
  name = 'web-0';
  namespace = 'shop';
  creationTimestamp = new Date('2025-02-03T04:05:06.789Z');
  managedFields = [{ manager: 'kubectl', time: new Date('2025-02-03T04:05:06Z') }];
  annotations = { 'kubectl.kubernetes.io/last-applied-configuration': '{"env":"secret"}', team: 'shop' };
}

describe('sanitizeObject', () => {
  it('turns live client objects (class instances, Date values) into plain JSON data without secrets', () => {
    const live = {
      kind: 'Pod',
      metadata: new V1ObjectMetaLike(),
      spec: {
        containers: [
          {
            name: 'web',
            env: [
              { name: 'PASSWORD', value: 'p@ss' },
              { name: 'FROM_SECRET', valueFrom: { secretKeyRef: { name: 'db', key: 'password', resolvedValue: 'leak' } } },
              { name: 'FROM_FIELD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            ],
          },
        ],
      },
      status: { startTime: new Date('2025-02-03T04:05:10Z'), podIP: undefined, big: 12n },
      fn: () => 1,
    };
    const clean = sanitizeObject(live);
    expect(clean).toEqual({
      kind: 'Pod',
      metadata: { name: 'web-0', namespace: 'shop', creationTimestamp: '2025-02-03T04:05:06.789Z', annotations: { team: 'shop' } },
      spec: {
        containers: [
          {
            name: 'web',
            env: [{ name: 'PASSWORD' }, { name: 'FROM_SECRET', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }, { name: 'FROM_FIELD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
          },
        ],
      },
      status: { startTime: '2025-02-03T04:05:10.000Z', big: '12' },
    });
    expect(Object.getPrototypeOf(clean?.metadata)).toBe(Object.prototype);
    // the input is left as it was
    expect(live.spec.containers[0].env[0].value).toBe('p@ss');
    expect(live.metadata.managedFields).toHaveLength(1);
  });

  it('scrubs env in workload templates and CronJob job templates', () => {
    const cronJob = {
      kind: 'CronJob',
      metadata: { name: 'backup' },
      spec: { jobTemplate: { spec: { template: { spec: { initContainers: [{ name: 'i', env: [{ name: 'K', value: 'v1' }] }], containers: [{ name: 'c', env: [{ name: 'K', value: 'v2' }] }] } } } } },
    };
    expect(JSON.stringify(sanitizeObject(cronJob))).not.toMatch(/v1|v2/);
  });

  it('drops Secrets and ConfigMaps entirely, and data fields of anything else', () => {
    expect(sanitizeObject({ kind: 'Secret', metadata: { name: 's' }, data: { a: 'b' } })).toBeUndefined();
    expect(sanitizeObject({ kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'b' } })).toBeUndefined();
    expect(sanitizeObject({ kind: 'Pod', metadata: { name: 'p' }, data: { a: 'b' }, stringData: { c: 'd' } })).toEqual({ kind: 'Pod', metadata: { name: 'p' } });
    expect(sanitizeObject('not an object')).toBeUndefined();
    expect(sanitizeObject(null)).toBeUndefined();
  });
});
