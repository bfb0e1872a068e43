import { scenarioSuite } from '../support/scenario.js';

// First run, before any fix: 71.8 % (28/39, every genuine kept); 79.5 % once a generator bug was fixed (the audit events of one exec request had different auditIDs per stage, so sessions had no end). EKS 1.31 running data services through operators (Strimzi, ECK, CloudNativePG, cass-operator, redis-operator); Falcon Alerts API JSON, Defender hunting CSV, Falco, Suricata.
scenarioSuite({
  name: 'eks-data-operators',
  context: ['--snapshot', 'cluster', '--audit-log', 'audit'],
  alerts: 39,
  minAccuracy: 1,
  minLabelAndCause: 39,
});
