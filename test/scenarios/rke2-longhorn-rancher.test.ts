import { scenarioSuite } from '../support/scenario.js';

// RKE2 v1.30 on premises: Canal (Calico + Flannel VXLAN), embedded containerd, Longhorn, Rancher agents, system-upgrade-controller;
// Falco via Falcosidekick, SentinelOne threats API page, Suricata eve.json, Tetragon export; kubectl List dump and per-server audit logs.
scenarioSuite({
  name: 'rke2-longhorn-rancher',
  context: ['--snapshot', 'cluster-dump', '--audit-log', 'audit'],
  alerts: 40,
  minAccuracy: 0.95,
  minLabelAndCause: 40,
});
