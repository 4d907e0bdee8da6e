/**
 * A local implementation of the Amazon EventBridge event-pattern matcher.
 *
 * EventBridge matches with AWS's open-source event-ruler library, so this module follows its
 * semantics rather than a "reasonable" reading of the docs:
 *
 * - Patterns and events are both flattened into dotted paths: `{"a": {"b": ...}}` and
 *   `{"a.b": ...}` name the same field, on either side.
 * - Arrays in the event add no path segment; a field matches when any element matches, and
 *   fields matched from objects inside the same event array must come from the same element
 *   (event-ruler's "array consistency").
 * - Matching is type-aware: the string `"300"` never equals the number `300`, and `null` is a
 *   value (it exists, and `anything-but` accepts it) while an empty array is no value at all.
 * - Numbers compare numerically (300 equals 300.0), at event-ruler's precision of six decimal
 *   places and within its range of ±5e9.
 * - Patterns are validated the way event-ruler's JSON rule compiler validates them, including
 *   its wildcard-complexity limit, and rejected with {@link InvalidEventPatternError}.
 *
 * Only Node built-ins are used; rules are compiled once (see {@link compilePattern}).
 */

/** Thrown for a pattern that EventBridge would reject with InvalidEventPatternException. */
export class InvalidEventPatternError extends Error {
  constructor(reason: string) {
    super(`Event pattern is not valid. Reason: ${reason}`);
    this.name = 'InvalidEventPatternException';
  }
}

/** A compiled, validated pattern, ready to be matched against many events. */
export interface CompiledPattern {
  /**
   * The pattern in disjunctive normal form: `$or` forks it into branches, and the pattern
   * matches when any branch does. Each branch lists its fields sorted by path, the order in
   * which event-ruler walks them (which matters for `exists: false` inside arrays).
   */
  readonly branches: readonly CompiledBranch[];
}

/** One `$or`-free alternative of a pattern: every field must match. */
export interface CompiledBranch {
  readonly fields: readonly CompiledField[];
}

/** The matchers for one dotted path: any of them may match (they are ORed). */
export interface CompiledField {
  readonly path: string;
  /** Matchers that need a value at the path. */
  readonly present: readonly Matcher[];
  /** Whether `{ "exists": false }` is among the matchers. */
  readonly absent: boolean;
}

/** A JSON leaf value, as it appears in a flattened event. */
type Leaf = string | number | boolean | null;

/** One value matcher, the compiled form of an element of a pattern's value array. */
export type Matcher =
  | { readonly kind: 'exact-string'; readonly value: string; readonly ip: Uint8Array | undefined }
  | { readonly kind: 'exact-number'; readonly value: number }
  | { readonly kind: 'exact-literal'; readonly value: boolean | null }
  | { readonly kind: 'prefix'; readonly value: string; readonly ignoreCase: boolean }
  | { readonly kind: 'suffix'; readonly value: string; readonly ignoreCase: boolean }
  | { readonly kind: 'equals-ignore-case'; readonly value: string }
  | { readonly kind: 'wildcard'; readonly tokens: readonly WildcardToken[] }
  | { readonly kind: 'numeric'; readonly lower: Bound | undefined; readonly upper: Bound | undefined }
  | { readonly kind: 'exists'; readonly value: boolean }
  | { readonly kind: 'cidr'; readonly bottom: Uint8Array; readonly top: Uint8Array }
  | { readonly kind: 'anything-but-string'; readonly values: ReadonlySet<string> }
  | { readonly kind: 'anything-but-number'; readonly values: ReadonlySet<number> }
  | { readonly kind: 'anything-but-prefix'; readonly values: readonly string[] }
  | { readonly kind: 'anything-but-suffix'; readonly values: readonly string[] }
  | { readonly kind: 'anything-but-ignore-case'; readonly values: readonly string[] }
  | { readonly kind: 'anything-but-wildcard'; readonly values: readonly (readonly WildcardToken[])[] };

/** A numeric bound, held in millionths (event-ruler's fixed six-decimal representation). */
interface Bound {
  readonly micros: number;
  readonly inclusive: boolean;
}

/** A wildcard pattern is literal text interleaved with `*` (the symbol below). */
type WildcardToken = string | typeof STAR;
const STAR: unique symbol = Symbol('wildcard');

export type PlainObject = Record<string, unknown>;
type RuleMap = Map<string, Matcher[]>;

/** Field names event-ruler refuses inside `$or` (its operators, plus words it reserves). */
const RESERVED_IN_OR = new Set([
  'exactly',
  'equals-ignore-case',
  'prefix',
  'suffix',
  'anything-but',
  'exists',
  'wildcard',
  'numeric',
  'cidr',
  'html',
  '=',
  '<',
  '<=',
  '>',
  '>=',
  'regex',
  'not-wildcard',
  'not-equals-ignore-case',
  'date-after',
  'date-on-or-after',
  'date-before',
  'date-on-or-before',
  'in-date-range',
  'ip-address-in-range',
  'ip-address-not-in-range',
]);

/** event-ruler's comparable-number range and precision. */
const FIVE_BILLION = 5e9;
const MAX_DECIMALS = 6;
const MICROS = 1e6;

/**
 * EventBridge refuses a rule when some input could be in this many wildcard-pattern prefixes at
 * once (event-ruler's MachineComplexityEvaluator). AWS does not publish the number; 10 is the
 * value consistent with its documented examples (`*:*:*:*:*:event-bus/*` is refused, which
 * scores 10, while two `*\/dir/*.ext` patterns on one field, scoring 8, are accepted).
 */
const MAX_WILDCARD_COMPLEXITY = 10;

function invalid(reason: string): never {
  throw new InvalidEventPatternError(reason);
}

/** Orders fields by path as Java's String.compareTo does (UTF-16 code units), like event-ruler. */
function byPath([a]: [string, unknown], [b]: [string, unknown]): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isPlainObject(value: unknown): value is PlainObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------
// Compiling
// ---------------------------------------------------------------------------------------------

/**
 * Validates a pattern exactly as EventBridge does and compiles it, so a rule is checked once
 * when it is registered rather than on every event. Accepts the parsed pattern or its JSON text
 * (duplicate keys: the last one wins, as in EventBridge).
 *
 * @throws InvalidEventPatternError if EventBridge would reject the pattern.
 */
export function compilePattern(pattern: unknown): CompiledPattern {
  let source = pattern;
  if (typeof source === 'string') {
    try {
      source = JSON.parse(source);
    } catch {
      invalid('Filter is not valid JSON');
    }
  }
  if (!isPlainObject(source)) invalid('Filter is not an object');

  const rules: RuleMap[] = [];
  parseObject(rules, [], source, false);
  checkWildcardComplexity(rules);

  const branches = rules.map((rule) => ({
    fields: [...rule.entries()].sort(byPath).map(([path, matchers]) => ({
      path,
      present: matchers.filter((m) => !isAbsence(m)),
      absent: matchers.some(isAbsence),
    })),
  }));
  return { branches };
}

/** `exists: false` is tracked apart from the other matchers because it needs no value. */
function isAbsence(matcher: Matcher): boolean {
  return matcher.kind === 'exists' && !matcher.value;
}

/**
 * Walks one pattern object, adding its fields to every branch in `rules`. Like event-ruler's
 * compiler it mutates the branch list in place, because a `$or` met part-way replaces the
 * branches built so far with their product with the `$or`'s alternatives.
 */
function parseObject(rules: RuleMap[], path: string[], object: PlainObject, insideOr: boolean): void {
  const entries = Object.entries(object);
  if (entries.length === 0) invalid('Empty objects are not allowed');
  for (const [key, value] of entries) {
    if (key === '$or') {
      parseOr(rules, path, value);
      continue;
    }
    if (insideOr && RESERVED_IN_OR.has(key)) {
      invalid(`${key} is Ruler reserved fieldName which cannot be used inside $or.`);
    }
    if (isPlainObject(value)) {
      parseObject(rules, [...path, key], value, insideOr);
    } else if (Array.isArray(value)) {
      const matchers = value.map(compileValue);
      if (matchers.length === 0) invalid('Empty arrays are not allowed');
      if (rules.length === 0) rules.push(new Map());
      const name = [...path, key].join('.');
      for (const rule of rules) rule.set(name, matchers);
    } else {
      invalid(`"${key}" must be an object or an array`);
    }
  }
}

function parseOr(rules: RuleMap[], path: string[], value: unknown): void {
  if (!Array.isArray(value)) invalid('It must be an Array followed with $or.');
  const before = rules.map((rule) => new Map(rule));
  rules.length = 0;
  for (const alternative of value) {
    if (!isPlainObject(alternative)) invalid('Only JSON object is allowed in array of $or relationship.');
    const forked = before.length === 0 ? [new Map()] : before.map((rule) => new Map(rule));
    parseObject(forked, path, alternative, true);
    rules.push(...forked);
  }
  if (value.length < 2) invalid('There must have at least 2 Objects in $or relationship.');
}

/** Compiles one element of a pattern's value array. */
function compileValue(value: unknown): Matcher {
  if (isPlainObject(value)) return compileExpression(value);
  if (typeof value === 'string') return { kind: 'exact-string', value, ip: parseIp(value) };
  if (typeof value === 'number' && Number.isFinite(value)) return { kind: 'exact-number', value };
  if (typeof value === 'boolean' || value === null) return { kind: 'exact-literal', value };
  return invalid('Match value must be String, number, true, false, or null');
}

/** Compiles a `{ "operator": operand }` match expression. */
function compileExpression(expression: PlainObject): Matcher {
  const keys = Object.keys(expression);
  const operator = keys[0];
  if (operator === undefined) invalid('Match expression name not found');
  const operand = expression[operator];
  const matcher = compileOperator(operator, operand);
  if (keys.length > 1) {
    invalid(
      operator === 'numeric' || operator === 'anything-but'
        ? 'Too many elements in numeric expression'
        : 'Only one key allowed in match expression',
    );
  }
  return matcher;
}

function compileOperator(operator: string, operand: unknown): Matcher {
  switch (operator) {
    case 'exactly':
      if (typeof operand !== 'string') invalid('exact match pattern must be a string');
      return { kind: 'exact-string', value: operand, ip: undefined };
    case 'prefix':
    case 'suffix': {
      if (isPlainObject(operand)) {
        const value = compileNestedIgnoreCase(operator, operand);
        return { kind: operator, value, ignoreCase: true };
      }
      if (typeof operand !== 'string') invalid(`${operator} match pattern must be a string`);
      return { kind: operator, value: operand, ignoreCase: false };
    }
    case 'equals-ignore-case':
      if (typeof operand !== 'string') invalid('equals-ignore-case match pattern must be a string');
      return { kind: 'equals-ignore-case', value: operand };
    case 'wildcard':
      if (typeof operand !== 'string') invalid('wildcard match pattern must be a string');
      return { kind: 'wildcard', tokens: parseWildcard(operand) };
    case 'numeric':
      return compileNumeric(operand);
    case 'anything-but':
      return compileAnythingBut(operand);
    case 'exists':
      if (typeof operand !== 'boolean') invalid('exists match pattern must be either true or false.');
      return { kind: 'exists', value: operand };
    case 'cidr':
      if (typeof operand !== 'string') invalid('prefix match pattern must be a string');
      return compileCidr(operand);
    default:
      return invalid(`Unrecognized match type ${operator}`);
  }
}

/** `{ "prefix": { "equals-ignore-case": "..." } }` and its suffix twin. */
function compileNestedIgnoreCase(operator: 'prefix' | 'suffix', operand: PlainObject): string {
  const keys = Object.keys(operand);
  const inner = keys[0];
  const label = operator === 'prefix' ? 'Prefix' : 'Suffix';
  if (inner === undefined) invalid(`${label} expression name not found`);
  if (inner !== 'equals-ignore-case') invalid(`Unsupported ${operator} pattern: ${inner}`);
  const value = operand[inner];
  if (typeof value !== 'string') invalid('equals-ignore-case match pattern must be a string');
  if (keys.length > 1) invalid('Only one key allowed in match expression');
  return value;
}

function compileAnythingBut(operand: unknown): Matcher {
  if (isPlainObject(operand)) {
    const keys = Object.keys(operand);
    const inner = keys[0];
    if (inner === undefined) invalid('Anything-But expression name not found');
    if (inner !== 'equals-ignore-case' && inner !== 'prefix' && inner !== 'suffix' && inner !== 'wildcard') {
      invalid(`Unsupported anything-but pattern: ${inner}`);
    }
    const value = operand[inner];
    if (!Array.isArray(value) && typeof value !== 'string' && typeof value !== 'number') {
      invalid('Value of anything-but must be an array or single string/number value.');
    }
    const values = Array.isArray(value) ? value : [value];
    const strings = values.map((item): string => {
      if (typeof item === 'string') return item;
      if (inner === 'equals-ignore-case') {
        return invalid(
          'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.',
        );
      }
      if (inner === 'wildcard') return invalid('wildcard match pattern must be a string');
      return invalid('prefix/suffix match pattern must be a string');
    });
    if ((inner === 'prefix' || inner === 'suffix') && strings.includes('')) {
      invalid('Null prefix/suffix not allowed');
    }
    if (keys.length > 1) invalid('Too many elements in numeric expression');
    switch (inner) {
      case 'equals-ignore-case':
        return { kind: 'anything-but-ignore-case', values: strings };
      case 'prefix':
        return { kind: 'anything-but-prefix', values: strings };
      case 'suffix':
        return { kind: 'anything-but-suffix', values: strings };
      default:
        return { kind: 'anything-but-wildcard', values: strings.map(parseWildcard) };
    }
  }

  if (typeof operand === 'string') return { kind: 'anything-but-string', values: new Set([operand]) };
  if (typeof operand === 'number') return { kind: 'anything-but-number', values: new Set([micros(operand)]) };
  if (!Array.isArray(operand)) {
    invalid('Value of anything-but must be an array or single string/number value.');
  }
  const strings = new Set<string>();
  const numbers = new Set<number>();
  for (const item of operand) {
    if (typeof item === 'string') strings.add(item);
    else if (typeof item === 'number') numbers.add(micros(item));
    else invalid('Inside anything but list, start|null|boolean is not supported.');
  }
  const hasStrings = strings.size > 0;
  const hasNumbers = numbers.size > 0;
  if (hasStrings === hasNumbers) {
    invalid('Inside anything but list, either all values are number or string, mixed type is not supported');
  }
  return hasStrings
    ? { kind: 'anything-but-string', values: strings }
    : { kind: 'anything-but-number', values: numbers };
}

/**
 * `numeric` takes `["=", n]`, a lower bound (`>`/`>=`) optionally followed by an upper bound
 * (`<`/`<=`), or a lone upper bound — nothing else, in that order, as in event-ruler.
 */
function compileNumeric(operand: unknown): Matcher {
  if (!Array.isArray(operand)) invalid('Value of numeric must be an array.');
  const [operator, value, ...rest] = operand;
  if (typeof operator !== 'string') invalid(`Invalid member in numeric match: ${String(operator ?? ']')}`);
  if (!['=', '<', '<=', '>', '>='].includes(operator)) {
    invalid(`Unrecognized numeric range operator: ${operator}`);
  }
  if (typeof value !== 'number') {
    invalid(`Value of ${operator === '=' ? 'equals' : operator} must be numeric`);
  }
  const bound: Bound = { micros: micros(value), inclusive: operator !== '<' && operator !== '>' };

  if (operator === '=' || operator === '<' || operator === '<=') {
    if (rest.length > 0) invalid('Too many elements in numeric expression');
    if (operator === '=') return { kind: 'numeric', lower: bound, upper: bound };
    return { kind: 'numeric', lower: undefined, upper: bound };
  }
  if (rest.length === 0) return { kind: 'numeric', lower: bound, upper: undefined };

  const [topOperator, top, ...extra] = rest;
  if (typeof topOperator !== 'string') invalid(`Bad value in numeric range: ${String(topOperator)}`);
  if (topOperator !== '<' && topOperator !== '<=') invalid(`Bad numeric range operator: ${topOperator}`);
  if (typeof top !== 'number') invalid(`Value of ${topOperator} must be numeric`);
  if (extra.length > 0) invalid('Too many terms in numeric range expression');
  const upper: Bound = { micros: micros(top), inclusive: topOperator === '<=' };
  if (bound.micros >= upper.micros) invalid('Bottom must be less than top');
  return { kind: 'numeric', lower: bound, upper };
}

/**
 * Converts a pattern number to event-ruler's fixed-point form (millionths), enforcing its
 * limits: at most six decimal places and a magnitude of at most 5e9.
 */
function micros(value: number): number {
  if (!Number.isFinite(value) || Math.abs(value) > FIVE_BILLION) {
    invalid(`Value must be between -${FIVE_BILLION} and ${FIVE_BILLION}, inclusive`);
  }
  if (decimalPlaces(value) > MAX_DECIMALS) invalid('Only values upto 6 decimals are supported');
  return Math.round(value * MICROS);
}

/** Decimal places in the shortest decimal form of a number (`1.5e-7` has 8). */
function decimalPlaces(value: number): number {
  const [mantissa = '', exponent] = Math.abs(value).toString().split('e');
  const dot = mantissa.indexOf('.');
  const fraction = dot === -1 ? 0 : mantissa.length - dot - 1;
  return Math.max(0, fraction - Number(exponent ?? 0));
}

/** An event number in millionths, or undefined outside event-ruler's comparable range. */
function eventMicros(value: number): number | undefined {
  return Number.isFinite(value) && Math.abs(value) <= FIVE_BILLION ? Math.round(value * MICROS) : undefined;
}

/**
 * event-ruler's wildcard syntax: `*` matches any run of characters (including none), `\*` and
 * `\\` are a literal star and backslash, any other escape and two stars in a row are errors.
 */
function parseWildcard(text: string): WildcardToken[] {
  const tokens: WildcardToken[] = [];
  let literal = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '*') {
      if (text[i + 1] === '*') invalid(`Consecutive wildcard characters at pos ${i}`);
      if (literal) tokens.push(literal);
      literal = '';
      tokens.push(STAR);
    } else if (char === '\\') {
      const next = text[i + 1];
      if (next !== '*' && next !== '\\') invalid(`Invalid escape character at pos ${i}`);
      literal += next;
      i++;
    } else {
      literal += char;
    }
  }
  if (literal) tokens.push(literal);
  return tokens;
}

/**
 * event-ruler's CIDR rules: exactly one `/`, an integer mask, and IPv4 masks below 32 and IPv6
 * masks below 128 (so a single host is written as a plain address value, not `/32`). The range
 * runs from the address with all host bits cleared to the address with all host bits set.
 */
function compileCidr(text: string): Matcher {
  // Java's String.split, which event-ruler uses, drops trailing empty strings.
  const parts = text.split('/');
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  const [address = '', mask = ''] = parts;
  if (parts.length !== 2) invalid("Malformed CIDR, one '/' required");
  const bits = Number(mask);
  if (!/^[+-]?\d+$/.test(mask) || Math.abs(bits) > 2 ** 31 - 1) {
    invalid('Malformed CIDR, mask bits must be an integer');
  }
  if (bits < 0) invalid('Malformed CIDR, mask bits must not be negative');
  const ip = parseIp(address);
  if (ip === undefined) invalid(`Nonstandard IP address: ${address}`);
  if (ip.length === 4 && bits > 31) invalid('IPv4 mask bits must be < 32');
  if (ip.length === 16 && bits > 127) invalid('IPv6 mask bits must be < 128');

  const bottom = new Uint8Array(ip.length);
  const top = new Uint8Array(ip.length);
  let hostBits = ip.length * 8 - bits;
  for (let i = ip.length - 1; i >= 0; i--) {
    const byte = ip[i] ?? 0;
    const hostMask = hostBits >= 8 ? 0xff : hostBits <= 0 ? 0 : (1 << hostBits) - 1;
    bottom[i] = byte & ~hostMask & 0xff;
    top[i] = byte | hostMask;
    hostBits -= 8;
  }
  return { kind: 'cidr', bottom, top };
}

const IPV4 = /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/;
const IPV6 = /^[0-9a-fA-F:]*:[0-9a-fA-F:]*$/;

/**
 * Parses an IP address literal the way event-ruler does (its syntax gate, then Java's
 * InetAddress): dotted-quad IPv4, or IPv6 hex groups with at most one `::`. IPv4-mapped IPv6
 * addresses come back as IPv4, as Java returns them.
 */
function parseIp(text: string): Uint8Array | undefined {
  if (IPV4.test(text)) {
    const octets = text.split('.').map(Number);
    return octets.every((octet) => octet <= 255) ? Uint8Array.from(octets) : undefined;
  }
  if (!IPV6.test(text)) return undefined;

  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (half: string | undefined): string[] | undefined => {
    if (half === undefined || half === '') return [];
    const parts = half.split(':');
    return parts.every((part) => /^[0-9a-fA-F]{1,4}$/.test(part)) ? parts : undefined;
  };
  const head = groups(halves[0]);
  const tail = groups(halves[1]);
  if (head === undefined || tail === undefined) return undefined;
  const compressed = halves.length === 2;
  if (compressed ? head.length + tail.length > 7 : head.length !== 8) return undefined;

  const words = [...head, ...Array<string>(8 - head.length - tail.length).fill('0'), ...tail];
  const bytes = new Uint8Array(16);
  words.forEach((word, i) => {
    const value = Number.parseInt(word, 16);
    bytes[i * 2] = value >> 8;
    bytes[i * 2 + 1] = value & 0xff;
  });
  const mapped = bytes.subarray(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  return mapped ? bytes.slice(12) : bytes;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

// ---------------------------------------------------------------------------------------------
// Wildcard complexity
// ---------------------------------------------------------------------------------------------

/**
 * Rejects rules whose wildcards make matching too non-deterministic, as EventBridge does
 * ("Rule is too complex"). event-ruler scores each field's byte machine by the largest number
 * of wildcard-pattern prefixes one input can match at once; fields reached through the same
 * preceding fields share a machine, so branches with identical prefixes are scored together.
 */
function checkWildcardComplexity(rules: RuleMap[]): void {
  const machines = new Map<string, Set<string>>();
  for (const rule of rules) {
    const fields = [...rule.entries()].sort(byPath);
    let prefix = '';
    for (const [path, matchers] of fields) {
      const key = `${prefix}\u0000${path}`;
      for (const matcher of matchers) {
        const patterns =
          matcher.kind === 'wildcard'
            ? [matcher.tokens]
            : matcher.kind === 'anything-but-wildcard'
              ? matcher.values
              : [];
        for (const tokens of patterns) {
          const set = machines.get(key) ?? new Set<string>();
          set.add(JSON.stringify(tokens.map((t) => (t === STAR ? null : t))));
          machines.set(key, set);
        }
      }
      prefix = `${key}\u0001${describeMatchers(matchers)}`;
    }
  }
  for (const patterns of machines.values()) {
    const byteTokens = [...patterns].map((serialized) => toByteTokens(JSON.parse(serialized)));
    if (wildcardComplexity(byteTokens) >= MAX_WILDCARD_COMPLEXITY) {
      invalid(
        'Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character',
      );
    }
  }
}

/** A canonical text for a field's matchers, so equal fields are recognised across branches. */
function describeMatchers(matchers: readonly Matcher[]): string {
  return JSON.stringify(matchers, (_key, value: unknown) => {
    if (typeof value === 'symbol') return '*';
    if (value instanceof Set) return [...value].sort();
    if (value instanceof Uint8Array) return [...value];
    return value;
  });
}

const STAR_BYTE = -1;
const QUOTE = 0x22;

/** event-ruler matches the UTF-8 bytes of a string value including its JSON quotes. */
function toByteTokens(serialized: unknown): number[] {
  const out = [QUOTE];
  if (Array.isArray(serialized)) {
    for (const token of serialized) {
      if (typeof token === 'string') out.push(...new TextEncoder().encode(token));
      else out.push(STAR_BYTE);
    }
  }
  out.push(QUOTE);
  return out;
}

/**
 * The largest number of (pattern, prefix) pairs such that one input matches the prefix, over
 * all inputs: a subset construction over the patterns' prefix automata.
 */
function wildcardComplexity(patterns: number[][]): number {
  const alphabet = new Set<number>();
  for (const tokens of patterns) for (const t of tokens) if (t !== STAR_BYTE) alphabet.add(t);
  for (let b = 0; b < 256; b++) {
    if (!alphabet.has(b)) {
      alphabet.add(b); // one stand-in for every byte no pattern mentions
      break;
    }
  }

  const start = patterns.map((tokens) => {
    const alive = new Array<boolean>(tokens.length + 1).fill(false);
    alive[0] = true;
    for (let k = 1; k <= tokens.length; k++) alive[k] = tokens[k - 1] === STAR_BYTE && alive[k - 1] === true;
    return alive;
  });
  const step = (state: boolean[][], byte: number): boolean[][] =>
    state.map((alive, p) => {
      const tokens = patterns[p] ?? [];
      const next = new Array<boolean>(alive.length).fill(false);
      for (let k = 1; k < alive.length; k++) {
        next[k] =
          tokens[k - 1] === STAR_BYTE
            ? next[k - 1] === true || alive[k] === true
            : tokens[k - 1] === byte && alive[k - 1] === true;
      }
      return next;
    });

  const seen = new Set<string>();
  const queue = [start];
  let worst = 0;
  while (queue.length > 0 && seen.size < 20_000) {
    const state = queue.shift();
    if (state === undefined) break;
    for (const byte of alphabet) {
      const next = step(state, byte);
      let score = 0;
      for (const alive of next) for (let k = 1; k < alive.length; k++) if (alive[k]) score++;
      if (score === 0) continue;
      worst = Math.max(worst, score);
      if (worst >= MAX_WILDCARD_COMPLEXITY) return worst;
      const key = next.map((alive) => alive.map((a) => (a ? 1 : 0)).join('')).join('|');
      if (!seen.has(key)) {
        seen.add(key);
        queue.push(next);
      }
    }
  }
  return worst;
}

// ---------------------------------------------------------------------------------------------
// Matching
// ---------------------------------------------------------------------------------------------

/** A flattened event value: its dotted path and the array elements it sits in. */
interface EventField {
  readonly value: Leaf;
  /** Array id → element index, for every event array enclosing the value. */
  readonly membership: ReadonlyMap<number, number>;
}

/**
 * Whether an event matches a compiled pattern. The event is a JSON object (or its JSON text);
 * anything else matches nothing.
 */
export function matchesPattern(compiled: CompiledPattern, event: unknown): boolean {
  let source = event;
  if (typeof source === 'string') {
    try {
      source = JSON.parse(source);
    } catch {
      return false;
    }
  }
  if (!isPlainObject(source)) return false;
  return matchesFlattened(compiled, flatten(source));
}

/** An event flattened once, to be matched against many patterns (the bus's rules). */
export type FlattenedEvent = ReadonlyMap<string, EventField[]>;

/** Flattens an event object for `matchesFlattened`. */
export function flattenEvent(event: PlainObject): FlattenedEvent {
  return flatten(event);
}

export function matchesFlattened(compiled: CompiledPattern, fields: FlattenedEvent): boolean {
  return compiled.branches.some((branch) => matchBranch(branch.fields, 0, new Map(), fields));
}

/** Compiles and matches in one go; throws InvalidEventPatternError for an invalid pattern. */
export function testEventPattern(pattern: unknown, event: unknown): boolean {
  return matchesPattern(compilePattern(pattern), event);
}

function flatten(event: PlainObject): Map<string, EventField[]> {
  const fields = new Map<string, EventField[]>();
  let nextArrayId = 0;
  const walk = (value: unknown, path: string, membership: ReadonlyMap<number, number>): void => {
    if (Array.isArray(value)) {
      const id = nextArrayId++;
      value.forEach((element, index) => {
        walk(element, path, new Map(membership).set(id, index));
      });
    } else if (isPlainObject(value)) {
      for (const [key, child] of Object.entries(value)) {
        walk(child, path ? `${path}.${key}` : key, membership);
      }
    } else if (
      typeof value === 'string' ||
      typeof value === 'number' ||
      typeof value === 'boolean' ||
      value === null
    ) {
      const list = fields.get(path) ?? [];
      list.push({ value, membership });
      fields.set(path, list);
    }
    // undefined, functions, symbols and bigints have no JSON form, so they are absent.
  };
  walk(event, '', new Map());
  return fields;
}

/** Merges two array memberships, or returns undefined if they pick different elements. */
function mergeMembership(
  a: ReadonlyMap<number, number>,
  b: ReadonlyMap<number, number>,
): ReadonlyMap<number, number> | undefined {
  if (b.size === 0) return a;
  let merged: Map<number, number> | undefined;
  for (const [id, index] of b) {
    const existing = a.get(id);
    if (existing === undefined) {
      merged ??= new Map(a);
      merged.set(id, index);
    } else if (existing !== index) {
      return undefined;
    }
  }
  return merged ?? a;
}

/**
 * Matches the branch's fields in path order, backtracking over which event value satisfies
 * each, so every chosen value comes from the same element of any array they share. A field
 * is absent when no value at its path is consistent with the elements chosen so far.
 */
function matchBranch(
  fields: readonly CompiledField[],
  index: number,
  membership: ReadonlyMap<number, number>,
  event: ReadonlyMap<string, EventField[]>,
): boolean {
  const field = fields[index];
  if (field === undefined) return true;
  const candidates = event.get(field.path) ?? [];
  for (const candidate of candidates) {
    const merged = mergeMembership(membership, candidate.membership);
    if (merged === undefined) continue;
    if (!field.present.some((matcher) => matchValue(matcher, candidate.value))) continue;
    if (matchBranch(fields, index + 1, merged, event)) return true;
  }
  if (field.absent) {
    const present = candidates.some((c) => mergeMembership(membership, c.membership) !== undefined);
    if (!present && matchBranch(fields, index + 1, membership, event)) return true;
  }
  return false;
}

function matchValue(matcher: Matcher, value: Leaf): boolean {
  switch (matcher.kind) {
    case 'exact-string':
      if (typeof value !== 'string') return false;
      if (value === matcher.value) return true;
      return matcher.ip !== undefined && sameIp(matcher.ip, value);
    case 'exact-number':
      return typeof value === 'number' && numbersEqual(matcher.value, value);
    case 'exact-literal':
      return value === matcher.value;
    case 'prefix':
      return typeof value === 'string' && hasPrefix(value, matcher.value, matcher.ignoreCase);
    case 'suffix':
      return typeof value === 'string' && hasSuffix(value, matcher.value, matcher.ignoreCase);
    case 'equals-ignore-case':
      return typeof value === 'string' && equalsIgnoreCase(value, matcher.value);
    case 'wildcard':
      return typeof value === 'string' && matchWildcard(matcher.tokens, value);
    case 'numeric':
      return typeof value === 'number' && inRange(matcher.lower, matcher.upper, value);
    case 'exists':
      return matcher.value;
    case 'cidr': {
      if (typeof value !== 'string') return false;
      const ip = parseIp(value);
      return (
        ip !== undefined &&
        ip.length === matcher.bottom.length &&
        compareBytes(matcher.bottom, ip) <= 0 &&
        compareBytes(ip, matcher.top) <= 0
      );
    }
    case 'anything-but-string':
      return !(typeof value === 'string' && matcher.values.has(value));
    case 'anything-but-number': {
      if (typeof value !== 'number') return true;
      const scaled = eventMicros(value);
      return scaled === undefined || !matcher.values.has(scaled);
    }
    case 'anything-but-prefix':
      return !(typeof value === 'string' && matcher.values.some((p) => value.startsWith(p)));
    case 'anything-but-suffix':
      return !(typeof value === 'string' && matcher.values.some((s) => value.endsWith(s)));
    case 'anything-but-ignore-case':
      return !(typeof value === 'string' && matcher.values.some((v) => equalsIgnoreCase(value, v)));
    case 'anything-but-wildcard':
      return !(typeof value === 'string' && matcher.values.some((tokens) => matchWildcard(tokens, value)));
  }
}

function sameIp(ip: Uint8Array, text: string): boolean {
  const other = parseIp(text);
  return other !== undefined && other.length === ip.length && compareBytes(ip, other) === 0;
}

/** Pattern numbers match numerically at six-decimal precision, else by exact value. */
function numbersEqual(pattern: number, value: number): boolean {
  if (pattern === value) return true;
  const a = decimalPlaces(pattern) <= MAX_DECIMALS ? eventMicros(pattern) : undefined;
  const b = eventMicros(value);
  return a !== undefined && a === b;
}

function inRange(lower: Bound | undefined, upper: Bound | undefined, value: number): boolean {
  const scaled = eventMicros(value);
  if (scaled === undefined) return false;
  if (lower && (lower.inclusive ? scaled < lower.micros : scaled <= lower.micros)) return false;
  if (upper && (upper.inclusive ? scaled > upper.micros : scaled >= upper.micros)) return false;
  return true;
}

/** Glob matching with `*` as any run of characters, greedy with backtracking to the last star. */
function matchWildcard(tokens: readonly WildcardToken[], value: string): boolean {
  let position = 0;
  let index = 0;
  let starIndex = -1;
  let starPosition = 0;
  while (index < tokens.length || position < value.length) {
    const token = tokens[index];
    if (token === STAR) {
      starIndex = index++;
      starPosition = position;
      continue;
    }
    if (token !== undefined && value.startsWith(token, position)) {
      position += token.length;
      index++;
      continue;
    }
    if (starIndex === -1 || starPosition >= value.length) return false;
    index = starIndex + 1;
    position = ++starPosition;
  }
  return true;
}

/**
 * Case-insensitive comparison as event-ruler does it: each character of the pattern may match
 * itself, its lower-case form or its upper-case form (which may be longer, e.g. `ß` → `SS`).
 * Returns every position of `value` at which a match of the whole pattern starting at `from`
 * can end.
 */
function ignoreCaseEnds(value: string, pattern: string, from: number): Set<number> {
  let positions = new Set([from]);
  for (const char of pattern) {
    const forms = new Set([char, char.toLowerCase(), char.toUpperCase()]);
    const next = new Set<number>();
    for (const position of positions) {
      for (const form of forms) if (value.startsWith(form, position)) next.add(position + form.length);
    }
    if (next.size === 0) return next;
    positions = next;
  }
  return positions;
}

function equalsIgnoreCase(value: string, pattern: string): boolean {
  return ignoreCaseEnds(value, pattern, 0).has(value.length);
}

function hasPrefix(value: string, prefix: string, ignoreCase: boolean): boolean {
  return ignoreCase ? ignoreCaseEnds(value, prefix, 0).size > 0 : value.startsWith(prefix);
}

function hasSuffix(value: string, suffix: string, ignoreCase: boolean): boolean {
  if (!ignoreCase) return value.endsWith(suffix);
  for (let start = 0; start <= value.length; start++) {
    if (ignoreCaseEnds(value, suffix, start).has(value.length)) return true;
  }
  return false;
}
