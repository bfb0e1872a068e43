import { scenarioSuite } from '../support/scenario.js';

// EKS on Bottlerocket with Cilium chaining and Karpenter; GuardDuty, Defender Graph alerts, CrowdStrike, Vectra, ExtraHop, Darktrace; CloudWatch-wrapped audit.
scenarioSuite({ name: 'eks-bottlerocket', context: ['--snapshot', 'cluster.json.gz', '--audit-log', 'audit.json.gz'], alerts: 40, minAccuracy: 0.95, minLabelAndCause: 36 });
