/**
 * api-origin: an anonymous request that succeeded in reading API objects is an attack indicator; the traps are the
 * public endpoints anonymous users may read (no resource: /version, /healthz) and a refused anonymous request.
 */
import { describe, expect, it } from 'vitest';
import { triageAlert } from '../../../src/triage/pipeline.js';
import type { Alert } from '../../../src/alerts/model.js';
import { alert, indexOf, node } from '../../support/cluster.js';

const index = indexOf([node('ip-10-42-11-23.us-east-2.compute.internal', '10.42.11.23')]);
function anonymous(resource: string | undefined, statusCode: number, requestUri: string): Alert {
  const a = alert({ time: '2027-03-09T14:12:40.000Z', title: 'Kubernetes API commonly used in Discovery tactics invoked by the anonymous user.' });
  a.apiRequest = { user: 'system:anonymous', groups: ['system:unauthenticated'], verb: resource ? 'list' : 'get', resource, sourceIps: ['203.0.113.201'], statusCode, requestUri };
  return a;
}

describe('api-origin: anonymous access', () => {
  it('calls a successful anonymous pod listing an attack', () => {
    const v = triageAlert(anonymous('pods', 200, '/api/v1/pods'), { index }).verdict;
    expect(v).toMatchObject({ label: 'genuine', cause: 'attack' });
  });
  it('trap: the public version endpoint and a refused listing are not called attacks by this rule', () => {
    for (const a of [anonymous(undefined, 200, '/version'), anonymous('secrets', 403, '/api/v1/secrets')]) {
      expect(triageAlert(a, { index }).verdict.reasons.some((r) => r.rule === 'api-origin')).toBe(false);
    }
  });
});
