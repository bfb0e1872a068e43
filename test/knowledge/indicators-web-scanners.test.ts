/**
 * scan-traffic: network signatures naming a web-vulnerability scanner pointed at an exposed service (microk8s-calico-edge:
 * Nikto against the ingress LoadBalancer). A Prometheus or probe "sweep" and the scanners a security team schedules stay out.
 */
import { describe, expect, it } from 'vitest';
import { ATTACK_INDICATORS } from '../../src/knowledge/indicators.js';

const scan = ATTACK_INDICATORS.find((i) => i.id === 'scan-traffic')!;

describe('scan-traffic: web-vulnerability scanners', () => {
  it.each([
    'ET SCAN Nikto Web App Scan in Progress',
    'ET SCAN Possible Nuclei Scanner User-Agent Observed',
    'ET SCAN WPScan User Agent',
    'ET SCAN Gobuster User-Agent (Go-http-client)',
    'ET SCAN ZmEu Scanner User-Agent Inbound',
  ])('matches %s', (title) => expect(scan.pattern.test(title)).toBe(true));
  it.each([
    'LOCAL SCAN TCP sweep - single source to many destinations',
    'ET SCAN Behavioral Unusual Port 1433 traffic Potential Scan or Infection',
    'ET SCAN Nessus User Agent',
    'GPL SCAN Qualys scanner probe',
  ])('does not match %s', (title) => expect(scan.pattern.test(title)).toBe(false));
});
