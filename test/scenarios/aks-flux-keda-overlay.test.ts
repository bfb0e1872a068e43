import { scenarioSuite } from '../support/scenario.js';

// First run, before any fix: 69.4 % (25/36; genuine kept 16/17). The generator then gave each audit stage its own auditID (real logs share one): fixed in the fixture, not the tool, 80.6 % (29/36); the 11:30 curl download in the planted CronJob pod was dismissed as its entrypoint's child. AKS 1.30 with Azure CNI Overlay (Cilium), Flux v2, KEDA scale-to-zero workers, workload identity, Key Vault CSI; SentinelOne (STAR alerts, threats), Defender for Cloud continuous export, Graph alerts_v2, Darktrace, ExtraHop; kube-audit diagnostic logs as storage-account blobs.
scenarioSuite({
  name: 'aks-flux-keda-overlay',
  context: ['--snapshot', 'cluster', '--audit-log', 'audit'],
  alerts: 36,
  minAccuracy: 1,
  minLabelAndCause: 35,
});
