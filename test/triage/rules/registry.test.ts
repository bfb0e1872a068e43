import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Rule } from '../../../src/triage/model.js';
import { RULES } from '../../../src/triage/rules/index.js';

const RULES_DIR = new URL('../../../src/triage/rules/', import.meta.url);

function isRule(value: unknown): value is Rule {
  return typeof value === 'object' && value !== null && typeof (value as Rule).id === 'string' && typeof (value as Rule).evaluate === 'function';
}

describe('the rules list', () => {
  it('holds every rule a module under src/triage/rules exports, once, with a unique id', async () => {
    const exported: Rule[] = [];
    for (const file of readdirSync(RULES_DIR).filter((f) => f.endsWith('.ts') && f !== 'index.ts').sort()) {
      const module = (await import(new URL(file, RULES_DIR).href)) as Record<string, unknown>;
      exported.push(...Object.values(module).filter(isRule));
    }
    expect(exported.length).toBeGreaterThan(20);
    const missing = exported.filter((rule) => !RULES.includes(rule)).map((rule) => rule.id);
    expect(missing).toEqual([]);
    expect(new Set(RULES).size).toBe(RULES.length);
    expect(new Set(RULES.map((rule) => rule.id)).size).toBe(RULES.length);
  });
  it('starts with the attack indicators: what no benign story may hide is looked at first', () => {
    expect(RULES.slice(0, 2).map((rule) => rule.id)).toEqual(['attack-indicators', 'pod-spec-indicators']);
  });
});
