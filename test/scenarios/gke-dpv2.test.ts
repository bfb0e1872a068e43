import { scenarioSuite } from '../support/scenario.js';

// GKE Standard with Dataplane V2; Falco, Sysdig, CrowdStrike streaming, Cortex XDR, Suricata, Zeek TSV; GKE Cloud Audit Logs.
scenarioSuite({ name: 'gke-dpv2', context: ['--snapshot', 'cluster.yaml', '--audit-log', 'audit'], alerts: 40, minAccuracy: 0.95, minLabelAndCause: 38 });
