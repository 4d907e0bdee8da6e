import { createHash, randomUUID } from 'node:crypto';
import { DomainError, ServiceUnavailable } from '#shared/errors';
import { derivedEvent } from '#shared/events';
import {
  InvalidReturnState,
  ReturnConflict,
  ReturnNotFound,
  SupervisorRequired,
  UnknownOrder,
  UnknownReturnedSku,
  UnknownReturnLocation,
} from '../errors.ts';
import { RefundFailed } from '../events/refund-failed.ts';
import { RefundIssued } from '../events/refund-issued.ts';
import { RefundRequested } from '../events/refund-requested.ts';
import { ReturnDispositioned } from '../events/return-dispositioned.ts';
import { ReturnReceived } from '../events/return-received.ts';
import type {
  CreateReturnBody,
  InspectionBody,
  Phase,
  ReceiptBody,
  RefundOutcomeBody,
  ReturnRecord,
  ReturnSettings,
  SettingsBody,
} from '../schemas/returns.ts';
import type { Actor, ReturnPorts, StoredInspection } from './ports.ts';
import {
  applyInspection,
  DEFAULT_SETTINGS,
  heldUnits,
  judgeRequest,
  phaseReached,
  type RequestVerdict,
  refundLines,
  refusedRequest,
  SUPERVISORS,
  sortReceipt,
  supervisorReasons,
} from './rules.ts';

/** Optimistic writes (a return, an order's tally) are tried this often before answering 503. */
const ATTEMPTS = 5;

const hash = (...parts: string[]) => createHash('sha256').update(parts.join('\n')).digest('hex');
/** Inventory keys are 8–128 characters: a return's step hashed into one. */
const stockKey = (...parts: string[]) => `ret:${hash(...parts).slice(0, 40)}`;

const fingerprintOf = (b: CreateReturnBody) =>
  hash(
    JSON.stringify({
      orderId: b.orderId,
      lines: [...b.lines].sort((x, y) => x.sku.localeCompare(y.sku)),
      exchange: b.exchange ? [...b.exchange.lines].sort((x, y) => x.sku.localeCompare(y.sku)) : null,
    }),
  );

function busy(what: string): never {
  throw new ServiceUnavailable(`The return changed while ${what}; retry the same request`);
}

export async function settingsOf(ports: Pick<ReturnPorts, 'store'>): Promise<ReturnSettings> {
  return { ...DEFAULT_SETTINGS, ...((await ports.store.settings()) ?? {}) };
}

export async function putSettings(
  ports: Pick<ReturnPorts, 'store'>,
  body: SettingsBody,
): Promise<ReturnSettings> {
  const s: ReturnSettings = {
    reasonCodes: body.reasonCodes,
    windowDays: body.windowDays,
    channelWindowDays: body.channelWindowDays ?? {},
    approvalThreshold: body.approvalThreshold ?? DEFAULT_SETTINGS.approvalThreshold,
    autoApprove: body.autoApprove ?? DEFAULT_SETTINGS.autoApprove,
  };
  await ports.store.putSettings(s);
  return s;
}

async function load(ports: Pick<ReturnPorts, 'store'>, returnId: string): Promise<ReturnRecord> {
  const r = await ports.store.get(returnId);
  if (!r) throw new ReturnNotFound(returnId);
  return r;
}

const next = (
  r: ReturnRecord,
  patch: Partial<ReturnRecord>,
  at: string,
  entry?: ReturnRecord['timeline'][number],
) => ({
  ...r,
  ...patch,
  timeline: entry ? [...r.timeline, entry] : r.timeline,
  updatedAt: at,
  version: r.version + 1,
});

/**
 * `POST /api/returns`: an RMA checked against the order's shipped lines, the reason codes, the
 * window and the threshold, written with the order's tally in one transaction (so two returns of
 * one order never exceed what shipped). Idempotent by returnId: the same request answers the
 * return as it is now; another body 409 RETURN_CONFLICT. An approved return starts its workflow.
 */
export async function requestReturn(
  ports: ReturnPorts,
  body: CreateReturnBody,
  actor: Actor,
  /** Keep a request the checks refuse (a known order) as a rejected return instead of throwing. */
  options: { keepRefused?: boolean } = {},
): Promise<{ created: boolean; ret: ReturnRecord }> {
  const fingerprint = fingerprintOf(body);
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const existing = await ports.store.get(body.returnId);
    if (existing) {
      if (existing.fingerprint !== fingerprint) throw new ReturnConflict(body.returnId);
      if (existing.status === 'approved') await ports.workflows.start(existing.returnId, actor.correlationId);
      return { created: false, ret: existing };
    }
    const [order, shipped, tally, settings] = await Promise.all([
      ports.facts.order(body.orderId),
      ports.facts.shipped(body.orderId),
      ports.store.tally(body.orderId),
      settingsOf(ports),
    ]);
    if (!order) throw new UnknownOrder(body.orderId);
    if (body.exchange) {
      const wanted = body.exchange.lines.map((l) => l.sku);
      const known = await ports.facts.knownSkus(wanted);
      const unknown = wanted.filter((s) => !known.has(s));
      if (unknown.length) throw new UnknownReturnedSku(unknown);
    }
    const now = ports.clock();
    let verdict: RequestVerdict;
    try {
      verdict = judgeRequest(body, {
        order,
        shipped,
        alreadyReturned: tally.skus,
        settings,
        now,
        roles: actor.roles,
      });
    } catch (error) {
      if (!(options.keepRefused && error instanceof DomainError && error.status < 500)) throw error;
      verdict = refusedRequest(body, order, `${error.code}: ${error.message}`);
    }
    const at = now.toISOString();
    const ret: ReturnRecord = {
      returnId: body.returnId,
      orderId: body.orderId,
      channelId: order.channelId,
      externalId: order.externalId,
      status: verdict.status,
      lines: verdict.lines,
      unexpected: [],
      ...(body.exchange ? { exchange: body.exchange } : {}),
      value: verdict.value,
      outsideWindow: verdict.outsideWindow,
      overThreshold: verdict.overThreshold,
      ...(verdict.status === 'approved'
        ? {
            decision: {
              outcome: 'approved' as const,
              by: actor.username,
              reason:
                verdict.outsideWindow || verdict.overThreshold
                  ? 'approved by a supervisor at request'
                  : 'within policy',
              at,
            },
          }
        : {}),
      ...(verdict.refusal
        ? { decision: { outcome: 'rejected' as const, by: actor.username, reason: verdict.refusal, at } }
        : {}),
      refund: { status: 'not_requested', amount: verdict.value, currency: order.currency, attempt: 0 },
      timeline: [
        { at, what: 'requested', by: actor.username },
        ...(verdict.status === 'approved' ? [{ at, what: 'approved', by: actor.username }] : []),
        ...(verdict.refusal ? [{ at, what: 'rejected', by: actor.username, note: verdict.refusal }] : []),
      ],
      fingerprint,
      createdAt: at,
      createdBy: actor.username,
      updatedAt: at,
      version: 1,
    };
    const skus = { ...tally.skus };
    for (const [sku, n] of Object.entries(heldUnits(ret))) skus[sku] = (skus[sku] ?? 0) + n;
    if (await ports.store.create(ret, { skus, version: tally.version })) {
      if (ret.status === 'approved') await ports.workflows.start(ret.returnId, actor.correlationId);
      return { created: true, ret };
    }
    // The return exists now (a concurrent retry) or another return of the order came first: read again.
  }
  busy('being requested');
}

/** `POST /api/returns/{id}/approve`: requested (any approver) or pending_approval (a supervisor) → approved; starts the workflow. */
export async function approveReturn(
  ports: ReturnPorts,
  returnId: string,
  reason: string,
  actor: Actor,
): Promise<{ changed: boolean; ret: ReturnRecord }> {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const r = await load(ports, returnId);
    if (r.status !== 'requested' && r.status !== 'pending_approval') {
      if (r.decision?.outcome === 'approved') {
        await ports.workflows.start(returnId, actor.correlationId);
        return { changed: false, ret: r };
      }
      throw new InvalidReturnState(
        'RETURN_NOT_PENDING',
        returnId,
        r.status,
        `Return ${returnId} is ${r.status}: nothing to approve`,
      );
    }
    const after = decided(ports, r, 'approved', reason, actor);
    if (await ports.store.update(r, after)) {
      await ports.workflows.start(returnId, actor.correlationId);
      return { changed: true, ret: after };
    }
  }
  busy('being approved');
}

/** The return as decided by `actor`; a return waiting for a supervisor takes only a supervisor's decision. */
function decided(
  ports: ReturnPorts,
  r: ReturnRecord,
  outcome: 'approved' | 'rejected',
  reason: string,
  actor: Actor,
): ReturnRecord {
  if (r.status === 'pending_approval' && !actor.roles.some((role) => SUPERVISORS.includes(role)))
    throw new SupervisorRequired(r.returnId, supervisorReasons(r));
  const at = ports.clock().toISOString();
  return next(r, { status: outcome, decision: { outcome, by: actor.username, reason, at } }, at, {
    at,
    what: outcome,
    by: actor.username,
    note: reason,
  });
}

/** `POST /api/returns/{id}/reject`: before approval only; the return's units no longer count against the order. */
export async function rejectReturn(
  ports: ReturnPorts,
  returnId: string,
  reason: string,
  actor: Actor,
): Promise<{ changed: boolean; ret: ReturnRecord }> {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const r = await load(ports, returnId);
    if (r.status === 'rejected') return { changed: false, ret: r };
    if (r.status !== 'requested' && r.status !== 'pending_approval')
      throw new InvalidReturnState(
        'RETURN_NOT_PENDING',
        returnId,
        r.status,
        `Return ${returnId} is ${r.status}: it can no longer be rejected`,
      );
    const after = decided(ports, r, 'rejected', reason, actor);
    const tally = await ports.store.tally(r.orderId);
    const skus = { ...tally.skus };
    for (const [sku, n] of Object.entries(heldUnits(r))) skus[sku] = Math.max(0, (skus[sku] ?? 0) - n);
    if (await ports.store.reject(r, after, { skus, version: tally.version }))
      return { changed: true, ret: after };
  }
  busy('being rejected');
}

/**
 * `POST /api/returns/{id}/receipts`: the dock scanned the RMA and counted its parcel. The return is
 * written first (received, with what came and what was unexpected), then each SKU's units go into
 * returnedPending at the location (inventory, one movement per SKU and key), then ReturnReceived
 * and the workflow's token. One receipt per return: the same receipt again repeats only the
 * idempotent steps (healing a crash after the write); another one is 409 ALREADY_RECEIVED.
 */
export async function receiveReturn(
  ports: ReturnPorts,
  returnId: string,
  body: ReceiptBody,
  actor: Actor,
): Promise<{ changed: boolean; ret: ReturnRecord }> {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const r = await load(ports, returnId);
    if (['received', 'inspected', 'completed'].includes(r.status)) {
      const same =
        r.locationId === body.locationId &&
        body.lines.every((l) => r.lines.find((x) => x.sku === l.sku)?.received === l.quantity) &&
        r.lines.filter((x) => x.received > 0).length === body.lines.length;
      if (!same)
        throw new InvalidReturnState(
          'ALREADY_RECEIVED',
          returnId,
          r.status,
          `Return ${returnId} was received already with other contents`,
        );
      await finishReceipt(ports, r, actor);
      return { changed: false, ret: r };
    }
    if (r.status !== 'approved')
      throw new InvalidReturnState(
        'RETURN_NOT_APPROVED',
        returnId,
        r.status,
        `Return ${returnId} is ${r.status}: only an approved return is received`,
      );
    if (!(await ports.facts.locationExists(body.locationId)))
      throw new UnknownReturnLocation(body.locationId);
    const known = await ports.facts.knownSkus(body.lines.map((l) => l.sku));
    const unknown = body.lines.map((l) => l.sku).filter((s) => !known.has(s));
    if (unknown.length) throw new UnknownReturnedSku(unknown);

    const { expected, unexpected } = sortReceipt(r.lines, body.lines);
    const lines = r.lines.map((l) => ({ ...l, received: expected.get(l.sku) ?? 0 }));
    // Units found beyond the RMA are stocked too (they are on the shelf), on lines of their own.
    for (const u of unexpected) {
      const line = lines.find((l) => l.sku === u.sku);
      if (line) line.received += u.quantity;
      else lines.push({ sku: u.sku, quantity: 0, unitPrice: 0, received: u.quantity, dispositions: {} });
    }
    const at = ports.clock().toISOString();
    const after = next(r, { status: 'received', lines, unexpected, locationId: body.locationId }, at, {
      at,
      what: 'received',
      by: actor.username,
      note: `${body.lines.reduce((s, l) => s + l.quantity, 0)} units at ${body.locationId}${unexpected.length ? `, unexpected: ${unexpected.map((u) => `${u.quantity} × ${u.sku}`).join(', ')}` : ''}`,
    });
    if (await ports.store.update(r, after)) {
      await finishReceipt(ports, after, actor);
      return { changed: true, ret: after };
    }
  }
  busy('being received');
}

/** The idempotent rest of a receipt: stock, event, the workflow's token. Also the workflow's backstop. */
async function finishReceipt(
  ports: ReturnPorts,
  r: ReturnRecord,
  actor: Pick<Actor, 'username' | 'correlationId'>,
) {
  const locationId = r.locationId as string;
  const ctx = { actor: actor.username, correlationId: actor.correlationId };
  for (const l of r.lines.filter((x) => x.received > 0))
    await ports.stock.receive(
      {
        sku: l.sku,
        locationId,
        quantity: l.received,
        reason: `return ${r.returnId} received`,
        idempotencyKey: stockKey(r.returnId, 'receipt', l.sku),
      },
      ctx,
    );
  const receivedAt = r.timeline.find((t) => t.what === 'received')?.at ?? r.updatedAt;
  await ports.events.publish([
    derivedEvent(
      ReturnReceived,
      {
        returnId: r.returnId,
        orderId: r.orderId,
        channelId: r.channelId,
        locationId,
        lines: r.lines.filter((x) => x.received > 0).map((x) => ({ sku: x.sku, quantity: x.received })),
        unexpected: r.unexpected,
        receivedAt,
      },
      r.returnId,
      receivedAt,
      actor.correlationId,
    ),
  ]);
  await signal(ports, r, 'received');
}

async function signal(ports: ReturnPorts, r: ReturnRecord, phase: Phase) {
  const token = r.tokens?.[phase];
  if (token) await ports.tokens.succeed(token, { phase });
}

/**
 * `POST /api/returns/{id}/inspections`: dispositions for received units. The inspection's marker
 * and the return's new counts are one transaction (a retried inspectionId finds its marker and
 * repeats only the idempotent steps); then one inventory movement per line, ReturnDispositioned,
 * and, once every received unit has its disposition, the workflow's token.
 */
export async function inspectReturn(
  ports: ReturnPorts,
  returnId: string,
  body: InspectionBody,
  actor: Actor,
): Promise<{ changed: boolean; ret: ReturnRecord }> {
  const inspectionId = body.inspectionId ?? randomUUID();
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const done = body.inspectionId ? await ports.store.getInspection(returnId, inspectionId) : undefined;
    const r = await load(ports, returnId);
    if (done) {
      await finishInspection(ports, r, done, actor);
      return { changed: false, ret: r };
    }
    if (r.status !== 'received')
      throw new InvalidReturnState(
        r.status === 'inspected' || r.status === 'completed' ? 'INSPECTION_COMPLETE' : 'RETURN_NOT_RECEIVED',
        returnId,
        r.status,
        `Return ${returnId} is ${r.status}: only received units are inspected`,
      );
    const { lines, complete } = applyInspection(r.lines, body.lines);
    const at = ports.clock().toISOString();
    const after = next(r, { status: complete ? 'inspected' : 'received', lines }, at, {
      at,
      what: complete ? 'inspected' : 'inspection',
      by: actor.username,
      note: body.lines.map((l) => `${l.quantity} × ${l.sku} ${l.disposition}`).join(', '),
    });
    const inspection: StoredInspection = {
      returnId,
      inspectionId,
      locationId: r.locationId as string,
      lines: body.lines,
      complete,
      at,
      by: actor.username,
    };
    if (await ports.store.inspect(r, after, inspection)) {
      await finishInspection(ports, after, inspection, actor);
      return { changed: true, ret: after };
    }
  }
  busy('being inspected');
}

async function finishInspection(
  ports: ReturnPorts,
  r: ReturnRecord,
  i: StoredInspection,
  actor: Pick<Actor, 'username' | 'correlationId'>,
) {
  const ctx = { actor: actor.username, correlationId: actor.correlationId };
  for (const [n, l] of i.lines.entries())
    await ports.stock.disposition(
      {
        sku: l.sku,
        locationId: i.locationId,
        quantity: l.quantity,
        disposition: l.disposition,
        reason: `return ${r.returnId} inspected: ${l.disposition}`,
        idempotencyKey: stockKey(r.returnId, 'inspection', i.inspectionId, String(n)),
      },
      ctx,
    );
  // Restocked units are available but still in RECEIVING: a putaway task takes them to a bin.
  for (const [n, l] of i.lines.entries())
    if (l.disposition === 'restock')
      await ports.stock.putaway({
        returnId: r.returnId,
        key: `${i.inspectionId}#${n}`,
        locationId: i.locationId,
        sku: l.sku,
        quantity: l.quantity,
        at: i.at,
      });
  await ports.events.publish([
    derivedEvent(
      ReturnDispositioned,
      {
        returnId: r.returnId,
        orderId: r.orderId,
        inspectionId: i.inspectionId,
        locationId: i.locationId,
        lines: i.lines,
        complete: i.complete,
        at: i.at,
      },
      `${r.returnId}\n${i.inspectionId}`,
      i.at,
      actor.correlationId,
    ),
  ]);
  if (i.complete) await signal(ports, r, 'inspected');
}

const refundEvent = (r: ReturnRecord, at: string, correlationId: string) =>
  derivedEvent(
    RefundRequested,
    {
      returnId: r.returnId,
      orderId: r.orderId,
      channelId: r.channelId,
      externalId: r.externalId,
      attempt: r.refund.attempt,
      amount: r.refund.amount,
      currency: r.refund.currency,
      lines: refundLines(r.lines, r.exchange),
      requestedAt: at,
    },
    `${r.returnId}\n${r.refund.attempt}`,
    at,
    correlationId,
  );

const requestedAt = (r: ReturnRecord) =>
  r.timeline.findLast((t) => t.what === 'refund requested')?.at ?? r.updatedAt;

/**
 * The workflow's PlaceExchange step, once the parcel is received: the replacement goes to orders'
 * intake as a new order of the same channel (released like any order) and is linked on the return.
 * Intake refusing it (a SKU no longer sold, no currency) is recorded on the return for customer
 * service, not retried: the workflow goes on to inspection. A repeat places nothing twice.
 */
export async function placeExchange(ports: ReturnPorts, returnId: string, correlationId: string) {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const r = await load(ports, returnId);
    if (!r.exchange || r.exchange.orderId || r.exchange.refused)
      return { exchange: r.exchange?.orderId ?? null };
    const placed = await ports.facts.placeReplacement(
      { sourceOrderId: r.orderId, exchangeId: r.returnId, lines: r.exchange.lines },
      correlationId,
    );
    const at = ports.clock().toISOString();
    const exchange =
      'orderId' in placed
        ? { ...r.exchange, orderId: placed.orderId }
        : { ...r.exchange, refused: placed.refused };
    const after = next(r, { exchange }, at, {
      at,
      what: 'orderId' in placed ? 'exchange order placed' : 'exchange refused',
      note: 'orderId' in placed ? placed.orderId : placed.refused,
    });
    if (await ports.store.update(r, after)) return { exchange: exchange.orderId ?? null };
  }
  busy('placing its exchange');
}

/**
 * The workflow's RequestRefund step, once inspection is complete: the refund becomes `requested`
 * (attempt 1) for the received authorised units, and RefundRequested goes to the connectors.
 * Nothing to refund (only unexpected units came back): `not_required`. A repeat re-sends the same event.
 */
export async function requestRefund(ports: ReturnPorts, returnId: string, correlationId: string) {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const r = await load(ports, returnId);
    if (r.refund.status !== 'not_requested') {
      if (r.refund.status === 'requested')
        await ports.events.publish([refundEvent(r, requestedAt(r), correlationId)]);
      return { refund: r.refund.status };
    }
    const lines = refundLines(r.lines, r.exchange);
    const amount = lines.reduce((s, l) => s + l.amount, 0);
    const at = ports.clock().toISOString();
    const after = next(
      r,
      {
        refund: {
          ...r.refund,
          amount,
          status: lines.length ? 'requested' : 'not_required',
          attempt: lines.length ? 1 : 0,
        },
      },
      at,
      { at, what: lines.length ? 'refund requested' : 'no refund due' },
    );
    if (await ports.store.update(r, after)) {
      if (after.refund.status === 'requested')
        await ports.events.publish([refundEvent(after, at, correlationId)]);
      return { refund: after.refund.status };
    }
  }
  busy('requesting its refund');
}

/**
 * `POST /api/returns/{id}/refund`: the channel's outcome of the current attempt. requested →
 * issued (RefundIssued, the workflow moves on) or failed (RefundFailed; retry asks again). The same
 * outcome again answers the return unchanged and re-sends its event; any other transition is 409.
 */
export async function recordRefund(
  ports: ReturnPorts,
  returnId: string,
  body: RefundOutcomeBody,
  actor: Actor,
  /**
   * The channel's own record of a refund (a refund made in its admin, or its webhook for ours):
   * issued from any open status, at the channel's amount.
   */
  channel?: { amount: number },
): Promise<{ changed: boolean; ret: ReturnRecord }> {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const r = await load(ports, returnId);
    if (r.refund.status === body.status) {
      await announceRefund(ports, r, actor.correlationId);
      return { changed: false, ret: r };
    }
    const open = channel ? ['not_requested', 'requested', 'failed'] : ['requested'];
    if (!open.includes(r.refund.status))
      throw new InvalidReturnState(
        'REFUND_NOT_REQUESTED',
        returnId,
        r.status,
        `The refund of return ${returnId} is ${r.refund.status}: only a requested refund gets an outcome`,
      );
    const at = ports.clock().toISOString();
    const after = next(
      r,
      {
        refund: {
          ...r.refund,
          status: body.status,
          // A refund recorded before any was requested is the channel's attempt 1 (its events need one).
          attempt: Math.max(1, r.refund.attempt),
          ...(channel ? { amount: channel.amount } : {}),
          ...(body.reference ? { reference: body.reference } : {}),
          ...(body.message ? { message: body.message } : {}),
        },
      },
      at,
      {
        at,
        what: `refund ${body.status}`,
        by: actor.username,
        ...(body.message ? { note: body.message } : {}),
      },
    );
    if (await ports.store.update(r, after)) {
      await announceRefund(ports, after, actor.correlationId);
      return { changed: true, ret: after };
    }
  }
  busy('recording its refund');
}

async function announceRefund(ports: ReturnPorts, r: ReturnRecord, correlationId: string) {
  const at = r.timeline.findLast((t) => t.what === `refund ${r.refund.status}`)?.at ?? r.updatedAt;
  const base = {
    returnId: r.returnId,
    orderId: r.orderId,
    channelId: r.channelId,
    attempt: r.refund.attempt,
    amount: r.refund.amount,
    currency: r.refund.currency,
  };
  const key = `${r.returnId}\n${r.refund.attempt}`;
  if (r.refund.status === 'issued') {
    await ports.events.publish([
      derivedEvent(
        RefundIssued,
        { ...base, ...(r.refund.reference ? { reference: r.refund.reference } : {}), issuedAt: at },
        key,
        at,
        correlationId,
      ),
    ]);
    await signal(ports, r, 'refunded');
  } else if (r.refund.status === 'failed') {
    await ports.events.publish([
      derivedEvent(
        RefundFailed,
        { ...base, ...(r.refund.message ? { message: r.refund.message } : {}), failedAt: at },
        key,
        at,
        correlationId,
      ),
    ]);
  }
}

/** `POST /api/returns/{id}/refund/retry`: a failed refund is requested again (attempt + 1, RefundRequested). */
export async function retryRefund(
  ports: ReturnPorts,
  returnId: string,
  actor: Actor,
): Promise<{ changed: boolean; ret: ReturnRecord }> {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const r = await load(ports, returnId);
    if (r.refund.status === 'requested') {
      await ports.events.publish([refundEvent(r, requestedAt(r), actor.correlationId)]);
      return { changed: false, ret: r };
    }
    if (r.refund.status !== 'failed')
      throw new InvalidReturnState(
        'REFUND_NOT_FAILED',
        returnId,
        r.status,
        `The refund of return ${returnId} is ${r.refund.status}: only a failed refund is retried`,
      );
    const at = ports.clock().toISOString();
    const { reference: _r, message: _m, ...refund } = r.refund;
    const after = next(r, { refund: { ...refund, status: 'requested', attempt: r.refund.attempt + 1 } }, at, {
      at,
      what: 'refund requested',
      by: actor.username,
    });
    if (await ports.store.update(r, after)) {
      await ports.events.publish([refundEvent(after, at, actor.correlationId)]);
      return { changed: true, ret: after };
    }
  }
  busy('retrying its refund');
}

/**
 * The workflow's Await steps: parks the execution on the return until it reaches `phase`. The
 * token is stored only while the return has not moved (one conditional write on its version), so
 * a signal is never lost: either the write sees the new state and the step completes its own
 * token at once (after finishing what the command may have left undone), or the command, writing
 * after, finds the token.
 */
export async function awaitPhase(
  ports: ReturnPorts,
  returnId: string,
  phase: Phase,
  token: string,
  correlationId: string,
) {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const r = await load(ports, returnId);
    if (phaseReached(r, phase)) {
      // The backstop for a receipt whose command died after its write: stock and event now.
      if (phase === 'received')
        await finishReceipt(ports, r, { username: 'returns-workflow', correlationId });
      await ports.tokens.succeed(token, { phase, early: true });
      return { parked: false, status: r.status };
    }
    if (await ports.store.parkToken(r, phase, token)) return { parked: true, status: r.status };
  }
  throw new Error(`Return ${returnId} kept changing while its workflow parked on ${phase}`);
}

/** The workflow's last step: the return is completed (refund issued or none due). */
export async function completeReturn(ports: ReturnPorts, returnId: string) {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const r = await load(ports, returnId);
    if (r.status === 'completed') return { status: r.status };
    const at = ports.clock().toISOString();
    const { tokens: _t, ...rest } = r;
    if (
      await ports.store.update(
        r,
        next(rest as ReturnRecord, { status: 'completed' }, at, { at, what: 'completed' }),
      )
    )
      return { status: 'completed' };
  }
  busy('being completed');
}

/** Who may read which returns is the route's business; this is what a return looks like to them. */
export function returnView(r: ReturnRecord) {
  return {
    returnId: r.returnId,
    orderId: r.orderId,
    channelId: r.channelId,
    status: r.status,
    lines: r.lines.map((l) => ({
      sku: l.sku,
      quantity: l.quantity,
      received: l.received,
      dispositions: l.dispositions,
      ...(l.reason ? { reason: l.reason } : {}),
      unitPrice: l.unitPrice,
    })),
    unexpected: r.unexpected,
    refund: {
      status: r.refund.status,
      amount: r.refund.amount,
      currency: r.refund.currency,
      attempt: r.refund.attempt,
      ...(r.refund.reference ? { reference: r.refund.reference } : {}),
      ...(r.refund.message ? { message: r.refund.message } : {}),
    },
    value: r.value,
    outsideWindow: r.outsideWindow,
    overThreshold: r.overThreshold,
    requiresSupervisor: r.outsideWindow || r.overThreshold,
    ...(r.decision ? { decision: r.decision } : {}),
    ...(r.locationId ? { locationId: r.locationId } : {}),
    ...(r.exchange ? { exchange: r.exchange } : {}),
    timeline: r.timeline,
    createdAt: r.createdAt,
    createdBy: r.createdBy,
    updatedAt: r.updatedAt,
  };
}
export type ReturnView = ReturnType<typeof returnView>;

/** `GET /api/returns?status=&orderId=`: an order's returns, or a status's, or all (newest first). */
export async function listReturns(
  ports: Pick<ReturnPorts, 'store'>,
  q: { status?: ReturnRecord['status']; orderId?: string },
  statuses: readonly ReturnRecord['status'][],
) {
  let items: ReturnRecord[];
  if (q.orderId)
    items = (await ports.store.byOrder(q.orderId)).filter((r) => !q.status || r.status === q.status);
  else if (q.status) items = await ports.store.byStatus(q.status);
  else items = (await Promise.all(statuses.map((s) => ports.store.byStatus(s)))).flat();
  items.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.returnId.localeCompare(a.returnId));
  return items.map(returnView);
}
