import { scenarioSuite } from '../support/scenario.js';

// First run, before any fix: 81.1 % (30/37, genuine kept 13/16). GKE Autopilot: Dataplane V2 (anetd), gke-metadata-server and Workload Identity, partner allowlisted Falco / Falcon / Defender sensors, node churn, Cloud SQL Auth Proxy native sidecar, Config Sync, Memorystore.
scenarioSuite({
  name: 'gke-autopilot-partners',
  context: ['--snapshot', 'cluster', '--audit-log', 'audit'],
  alerts: 37,
  minAccuracy: 1,
  minLabelAndCause: 32,
});
