import { setTimeout as sleep } from 'node:timers/promises';
import { logger } from '#shared/powertools';
import { FulfillmentNotFound } from '../errors.ts';
import type { FulfillmentStatus } from '../schemas/fulfillment.ts';
import { FulfillmentCancelled, PublishInFlight } from '../shipping-errors.ts';
import { publishPacked } from './packing.ts';
import { announceShipped } from './shipping.ts';
import { type Phase, phasesThrough, type ShippingPorts, type ShippingRecord } from './shipping-ports.ts';

/** Statuses in the order a fulfillment moves through them (cancelled is off the path). */
const PATH: readonly FulfillmentStatus[] = ['released', 'waved', 'picking', 'picked', 'packed', 'shipped'];

/** The statuses in which the workflow still waits for `phase`. */
export function waitingIn(phase: Phase): FulfillmentStatus[] {
  return PATH.slice(0, PATH.indexOf(phase));
}

const reached = (f: ShippingRecord, phase: Phase) =>
  f.status !== 'cancelled' && !waitingIn(phase).includes(f.status);

const ATTEMPTS = 5;

/**
 * The Await states' task (`.waitForTaskToken`): parks the execution on the fulfillment until it
 * reaches `phase`. The token is stored on the fulfillment (the signal that moves it on reads it
 * there) only while the fulfillment still waits, in one conditional write, so a signal is never
 * lost: either the write sees the new status and the step completes its own token at once, or
 * the signal, written after, finds the token. A cancel asked fails the task (FulfillmentCancelled)
 * and the state machine goes to Cancel.
 */
export async function awaitPhase(ports: ShippingPorts, fulfillmentId: string, phase: Phase, token: string) {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const f = await ports.shipments.load(fulfillmentId);
    if (!f) throw new FulfillmentNotFound(fulfillmentId);
    if (f.cancelRequested || f.status === 'cancelled') throw new FulfillmentCancelled(fulfillmentId);
    if (reached(f, phase)) {
      // A timeout raised for this phase (or an earlier one) is over: the phase is done.
      await clearPassedException(ports, f, phase);
      // The workflow's backstop for the events: a command that died after its write is finished here.
      await announceOwed(ports, f);
      await ports.tokens.succeed(token, { phase, status: f.status, early: true });
      return { parked: false, status: f.status };
    }
    if (await ports.shipments.parkToken(f, phase, token, waitingIn(phase))) {
      return { parked: true, status: f.status };
    }
  }
  // Moving that fast the next attempt of the state (its Retry) will see where it got to.
  throw new Error(`Fulfillment ${fulfillmentId} kept changing while its workflow parked on ${phase}`);
}

/** How long the await step waits for another publisher's claimed events before its Retry. */
const PUBLISH_WAIT_MS = 3_000;
const PUBLISH_POLL_MS = 100;

const announce = (ports: ShippingPorts, f: ShippingRecord) =>
  f.status === 'shipped' ? announceShipped(ports, f) : f.status === 'packed' ? publishPacked(ports, f) : true;

/**
 * Publishes what the fulfillment's status owes that is not out yet. When the command that made
 * the change still holds its claim (it is publishing right now), waits for it a moment; still
 * claimed after that, the step fails PublishInFlight and the state retries after the lease.
 */
async function announceOwed(ports: ShippingPorts, f: ShippingRecord) {
  let current = f;
  for (let waited = 0; !(await announce(ports, current)); waited += PUBLISH_POLL_MS) {
    if (waited >= PUBLISH_WAIT_MS) throw new PublishInFlight(f.fulfillmentId);
    await sleep(PUBLISH_POLL_MS);
    current = (await ports.shipments.load(f.fulfillmentId)) ?? current;
  }
}

/** Clears a PHASE_TIMED_OUT raised for `phase` or before, once the fulfillment reached `phase`. */
export async function clearPassedException(
  ports: Pick<ShippingPorts, 'shipments'>,
  f: Pick<ShippingRecord, 'fulfillmentId' | 'exception'>,
  phase: Phase,
) {
  const raisedFor = f.exception?.phase as Phase | undefined;
  if (f.exception?.code !== 'PHASE_TIMED_OUT' || !raisedFor || !phasesThrough(phase).includes(raisedFor))
    return;
  await ports.shipments.clearException(f.fulfillmentId, phasesThrough(phase));
}

/**
 * A phase took longer than its TimeoutSeconds: the fulfillment carries an exception for a
 * supervisor (PHASE_TIMED_OUT), and the workflow waits again.
 */
export async function raisePhaseTimeout(ports: ShippingPorts, fulfillmentId: string, phase: Phase) {
  const at = ports.clock().toISOString();
  const exception = {
    code: 'PHASE_TIMED_OUT',
    message: `Still not ${phase} after the time allowed for it`,
    at,
    phase,
  };
  await ports.shipments.raiseException(fulfillmentId, exception);
  logger.warn('Fulfillment phase timed out', { fulfillmentId, phase });
  return exception;
}
