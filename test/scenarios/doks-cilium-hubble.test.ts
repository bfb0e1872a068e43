import { scenarioSuite } from '../support/scenario.js';

// First run, before any fix: (filled in after the first run). DOKS 1.30: Cilium with kube-proxy replacement and Hubble,
// csi-do-node, konnectivity, Velero, Django + Celery; audit log from an access proxy (partial by design).
scenarioSuite({
  name: 'doks-cilium-hubble',
  context: ['--snapshot', 'cluster.json', '--audit-log', 'audit.jsonl'],
  alerts: 35,
  minAccuracy: 0.5,
});
