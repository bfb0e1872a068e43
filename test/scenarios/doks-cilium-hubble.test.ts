import { scenarioSuite } from '../support/scenario.js';

// First run, before any fix: 77.1 % (27/35, every genuine kept, label+cause 22/35). DOKS 1.30: Cilium with kube-proxy replacement and Hubble,
// csi-do-node, konnectivity, Velero, Django + Celery; audit log from an access proxy (partial by design).
scenarioSuite({
  name: 'doks-cilium-hubble',
  context: ['--snapshot', 'cluster.json', '--audit-log', 'audit.jsonl'],
  alerts: 35,
  minAccuracy: 0.97,
  minLabelAndCause: 32,
});
