import { scenarioSuite } from '../support/scenario.js';

// First run, before any fix: 83.3 % (30/36; genuine kept 13/15, label+cause 28/36); after the general fixes 100 % (label+cause 34/36). AKS 1.31 (Azure CNI Overlay + Cilium, ama-logs, Defender for Containers, Key Vault CSI, workload identity); an on-call night decided by the kube-audit log (storage-account PT1H.json blobs): exec into the wrong container or replica, an expired session, a denied exec, impersonation, a CI bot, break-glass, kubectl cp, port-forward, run --rm, stolen credentials; Falcon, Defender for Containers, Falco, Suricata.
scenarioSuite({
  name: 'aks-oncall-audit',
  context: ['--snapshot', 'cluster', '--audit-log', 'audit'],
  alerts: 36,
  minAccuracy: 1,
  minLabelAndCause: 34,
});
