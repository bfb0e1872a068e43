import { scenarioSuite } from '../support/scenario.js';

// Three clusters in one run: EKS shop-prod and shop-staging (same manifests, pod names, node names and VPC CIDR; AWS
// VPC CNI, kube-proxy, Falcon node sensor) and k3s edge-lyon-01 (embedded flannel/kube-proxy, klipper-lb); Falcon
// Alerts API page, GuardDuty findings from three accounts, Elastic Defend alerts; kdr-triage snapshot files per
// cluster, EKS audit as CloudWatch subscription payloads and the k3s audit log.
scenarioSuite({
  name: 'eks-fleet-k3s-edge',
  context: [
    '--snapshot',
    'snapshots/shop-prod.kdr.json',
    '--snapshot',
    'snapshots/shop-staging.kdr.json',
    '--snapshot',
    'snapshots/edge-lyon-01.kdr.json',
    '--audit-log',
    'audit',
  ],
  alerts: 39,
  minAccuracy: 0.95,
  minLabelAndCause: 39,
});
