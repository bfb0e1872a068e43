import { scenarioSuite } from '../support/scenario.js';

// The same scenario with the audit log as AKS's kube-audit diagnostic setting delivers it ({"records":[…]} batches,
// the event as a JSON string in properties.log): the first run with this shape read no exec session (88.9 %).
scenarioSuite({
  name: 'aks-azurecni-calico',
  context: ['--snapshot', 'cluster.json', '--audit-log', 'audit-eventhub.json'],
  alerts: 45,
  minAccuracy: 1,
  minLabelAndCause: 41,
});
