/**
 * Chaos experiments in the audit log: their creation (by a person, or by Chaos Mesh's controller for a Schedule) is
 * kept with its selector and duration, through the raw-line prefilter too; the controller's own reads are not.
 * Found with the chaos-gameday validation scenario.
 */
import { describe, expect, it } from 'vitest';
import { expandRecord, type ExpandResult } from '../../src/cluster/audit-event.js';
import { mayMatter } from '../../src/cluster/audit-prefilter.js';
import { toActivity } from '../../src/cluster/audit.js';

const CONTROLLER = {
  username: 'system:serviceaccount:chaos-mesh:chaos-controller-manager',
  groups: ['system:serviceaccounts', 'system:serviceaccounts:chaos-mesh', 'system:authenticated'],
};

function line(verb: string, uri: string, body?: unknown): string {
  return JSON.stringify({
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: body ? 'Request' : 'Metadata',
    auditID: '5d0c1d8e-0000-4000-a000-000000000001',
    stage: 'ResponseComplete',
    requestURI: uri,
    verb,
    user: CONTROLLER,
    sourceIPs: ['10.16.0.12'],
    userAgent: 'chaos-controller-manager/v0.0.0',
    objectRef: { resource: 'networkchaos', namespace: 'shop', name: 'nightly-latency-x7k2p', apiGroup: 'chaos-mesh.org', apiVersion: 'v1alpha1' },
    responseStatus: { metadata: {}, code: verb === 'create' ? 201 : 200 },
    ...(body ? { requestObject: body } : {}),
    requestReceivedTimestamp: '2027-03-11T02:00:00.000000Z',
    stageTimestamp: '2027-03-11T02:00:00.041000Z',
  });
}

function activity(l: string) {
  const out: ExpandResult = { events: [], unrecognised: 0 };
  expandRecord(JSON.parse(l), out);
  return toActivity(out.events[0], { file: 'audit.log', line: 1 });
}

describe('chaos experiments in the audit log', () => {
  const body = {
    apiVersion: 'chaos-mesh.org/v1alpha1',
    kind: 'NetworkChaos',
    metadata: { name: 'nightly-latency-x7k2p', namespace: 'shop' },
    spec: { action: 'delay', mode: 'all', selector: { labelSelectors: { app: 'frontend' } }, delay: { latency: '100ms' }, duration: '5m' },
  };
  it("the controller creating a scheduled experiment from a pod address passes the prefilter and keeps its selector and duration", () => {
    const l = line('create', '/apis/chaos-mesh.org/v1alpha1/namespaces/shop/networkchaos', body);
    expect(mayMatter(l)).toBe(true);
    expect(activity(l)).toMatchObject({
      verb: 'create',
      apiGroup: 'chaos-mesh.org',
      resource: 'networkchaos',
      chaos: { kind: 'NetworkChaos', action: 'delay', selectors: [{ namespaces: ['shop'], labels: { app: 'frontend' } }], durationMs: 300_000 },
    });
  });
  it('its deletion is kept (it ends an experiment with no duration)', () => {
    const l = line('delete', '/apis/chaos-mesh.org/v1alpha1/namespaces/shop/networkchaos/nightly-latency-x7k2p');
    expect(mayMatter(l)).toBe(true);
    expect(activity(l)).toMatchObject({ verb: 'delete', resource: 'networkchaos' });
  });
  it("trap: the controller's own reads and status updates are neither parsed nor kept", () => {
    const l = line('update', '/apis/chaos-mesh.org/v1alpha1/namespaces/shop/networkchaos/nightly-latency-x7k2p/status');
    expect(mayMatter(l)).toBe(false);
    expect(activity(l)).toBeUndefined();
  });
});
