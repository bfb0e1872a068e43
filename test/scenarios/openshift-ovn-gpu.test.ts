import { scenarioSuite } from '../support/scenario.js';

// OpenShift 4.16 on vSphere: OVN-Kubernetes, CRI-O, NVIDIA GPU Operator; Wazuh, Datadog CWS signals, Cortex XDR, Corelight; must-gather tree with its audit logs.
const MUST_GATHER = 'must-gather.local.5093421791486132012';
const IMAGE_DIR = 'quay-io-openshift-release-dev-ocp-v4-0-art-dev-sha256-b34d3f8e47b280083d14b39a6006fd1c36fee9ac5c3442efab00f0fbaafd6566';
scenarioSuite({
  name: 'openshift-ovn-gpu',
  context: ['--snapshot', MUST_GATHER, '--audit-log', `${MUST_GATHER}/${IMAGE_DIR}/audit_logs`],
  alerts: 40,
  minAccuracy: 0.95,
  minLabelAndCause: 39,
});
