import { scenarioSuite } from '../support/scenario.js';

// AKS with Azure CNI powered by Cilium; Defender for Cloud, SentinelOne, Elastic, Tetragon; AKS diagnostic audit records.
scenarioSuite({ name: 'aks-cilium', context: ['--snapshot', 'cluster.json', '--audit-log', 'audit.jsonl'], alerts: 39, minAccuracy: 0.95, minLabelAndCause: 35 });
