/**
 * Runs the shared EventBridge event-pattern conformance cases (taken from LocalStack, most of
 * them checked against real AWS) against the local matcher, one test per case file:
 * `NAME.json5` must match, `NAME_NEG.json5` must not, `NAME_EXC.json5` must be rejected as an
 * invalid pattern, and the `complex_multi_key_event` pair must match.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import JSON5 from 'json5';
import { describe, expect, it } from 'vitest';
import { InvalidEventPatternError, testEventPattern } from '../../local/event-pattern';

const casesDir =
  process.env.QM_CONFORMANCE_DIR ?? path.resolve(import.meta.dirname, '../conformance/eventbridge-patterns');

interface ConformanceCase {
  name: string;
  expectation: 'match' | 'no-match' | 'invalid';
  event: unknown;
  pattern: unknown;
}

function readJson5(file: string): unknown {
  return JSON5.parse(readFileSync(path.join(casesDir, file), 'utf8'));
}

function loadCases(): ConformanceCase[] {
  let files: string[];
  try {
    files = readdirSync(casesDir).sort();
  } catch (error) {
    throw new Error(`EventBridge conformance cases not found at ${casesDir}: ${String(error)}`);
  }
  const cases: ConformanceCase[] = files
    .filter((file) => file.endsWith('.json5'))
    .map((file) => {
      const name = file.slice(0, -'.json5'.length);
      const content = readJson5(file);
      if (
        typeof content !== 'object' ||
        content === null ||
        !('Event' in content) ||
        !('EventPattern' in content)
      ) {
        throw new Error(`${file} has no Event and EventPattern`);
      }
      const expectation = name.endsWith('_EXC') ? 'invalid' : name.endsWith('_NEG') ? 'no-match' : 'match';
      return { name: file, expectation, event: content.Event, pattern: content.EventPattern };
    });

  const pairEvent = 'complex_multi_key_event.json';
  const pairPattern = 'complex_multi_key_event_pattern.json';
  if (files.includes(pairEvent) && files.includes(pairPattern)) {
    cases.push({
      name: `${pairEvent} + ${pairPattern}`,
      expectation: 'match',
      event: readJson5(pairEvent),
      pattern: readJson5(pairPattern),
    });
  }
  return cases;
}

const cases = loadCases();

describe('EventBridge event-pattern conformance', () => {
  it('finds the conformance cases', () => {
    expect(cases.length, `no conformance cases in ${casesDir}`).toBeGreaterThan(0);
  });

  for (const testCase of cases) {
    it(testCase.name, () => {
      if (testCase.expectation === 'invalid') {
        expect(() => testEventPattern(testCase.pattern, testCase.event)).toThrow(InvalidEventPatternError);
      } else {
        expect(testEventPattern(testCase.pattern, testCase.event)).toBe(testCase.expectation === 'match');
      }
    });
  }
});
