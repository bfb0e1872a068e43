import { scenarioSuite } from '../support/scenario.js';

// First run, before any fix: see below. GKE Autopilot: Dataplane V2 (anetd), gke-metadata-server, partner allowlisted Falco / Falcon / Defender sensors, node churn, Cloud SQL proxy sidecar, Config Sync.
scenarioSuite({
  name: 'gke-autopilot-partners',
  context: ['--snapshot', 'cluster', '--audit-log', 'audit'],
  alerts: 37,
  minAccuracy: 0,
});
