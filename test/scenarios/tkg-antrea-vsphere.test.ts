import { scenarioSuite } from '../support/scenario.js';

// First run, before any fix: 76.5 % (26/34, every genuine kept 14/14). TKG on vSphere (Photon OS, containerd), Antrea, kube-vip, vSphere CSI, Pinniped, Contour, Velero; Falcon JSON, Defender hunting CSV, Falco, Suricata.
scenarioSuite({
  name: 'tkg-antrea-vsphere',
  context: ['--snapshot', 'cluster', '--audit-log', 'audit'],
  alerts: 34,
  minAccuracy: 0.76,
});
