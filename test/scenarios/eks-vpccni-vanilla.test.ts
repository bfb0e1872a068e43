import { scenarioSuite } from '../support/scenario.js';

// First run, before any fix: 75.0 % (30/40, genuine kept 14/15: the look-alike aws-node's IMDS DNAT rule was dismissed as node networking).
// EKS 1.31 on AL2023: VPC CNI + network policy agent, kube-proxy, EBS/EFS CSI, Pod Identity, IRSA, Security Groups for Pods,
// Container Insights; Falcon Alerts API envelope, Defender hunting CSV, Falco, Suricata.
scenarioSuite({
  name: 'eks-vpccni-vanilla',
  context: ['--snapshot', 'cluster/cluster.json', '--audit-log', 'audit/audit.jsonl'],
  alerts: 40,
  minAccuracy: 1,
  minLabelAndCause: 36, // 37 on its branch; falco 2 (aws-vpc-cni-init's Launch Privileged Container) is labelled node-networking, the tool calls container-start findings privileged-root
});
