import { scenarioSuite } from '../support/scenario.js';

// First run, before any fix: 64.1 % (25/39; genuine kept 13/17, intel.log not read at all). kOps 1.28 on AWS: Weave Net, kube-proxy IPVS (static pods), Strimzi (StrimziPodSets), CloudNativePG, Argo CD with a CMP sidecar, Kyverno, OTel DaemonSet; SentinelOne threats + STAR API pages, Elastic alerts-as-data NDJSON, Darktrace model breaches, Zeek TSV notice/intel.
scenarioSuite({
  name: 'kops-weave-s1',
  context: ['--snapshot', 'cluster', '--audit-log', 'audit'],
  alerts: 39,
  minAccuracy: 1,
  minLabelAndCause: 37,
});
