import { z } from 'zod';
import type { FulfillmentPorts, StoredSettings } from './ports.ts';

/** The most fulfillments one wave takes: the wave, its fulfillments and the audit record fit one transaction. */
export const MAX_ORDERS_PER_WAVE = 90;
/** Below this many units picked at a location the configured rate is used, not the measured one. */
export const MEASURED_RATE_MIN_UNITS = 20;

export const DEFAULT_SETTINGS = {
  autoWave: false,
  maxOrdersPerWave: 50,
  claimTimeoutSeconds: 300,
  unitsPerMinute: 4,
} as const;

/** `PUT /api/fulfillment-settings/{locationId}` */
export const settingsBody = z.object({
  autoWave: z.boolean().optional(),
  maxOrdersPerWave: z.number().int().min(1).max(MAX_ORDERS_PER_WAVE).optional(),
  claimTimeoutSeconds: z.number().int().min(1).max(86_400).optional(),
  unitsPerMinute: z.number().positive().max(10_000).optional(),
});
export type SettingsBody = z.infer<typeof settingsBody>;

export interface EffectiveSettings {
  locationId: string;
  autoWave: boolean;
  maxOrdersPerWave: number;
  claimTimeoutSeconds: number;
  /** The rate planning uses: measured once enough units were picked, else the configured one. */
  unitsPerMinute: number;
  unitsPerMinuteSource: 'configured' | 'measured';
  configuredUnitsPerMinute: number;
  measured: { units: number; seconds: number; unitsPerMinute?: number };
  updatedAt?: string;
  updatedBy?: string;
}

/** The stored settings with defaults filled in and the measured pick rate applied. */
export function effectiveSettings(locationId: string, stored: StoredSettings | undefined): EffectiveSettings {
  const configured = stored?.unitsPerMinute ?? DEFAULT_SETTINGS.unitsPerMinute;
  const units = stored?.pickedUnits ?? 0;
  const seconds = stored?.pickSeconds ?? 0;
  // A task done within the second it was claimed counts one second: the rate stays finite.
  const measuredRate = units > 0 ? Math.round((units / Math.max(1, seconds)) * 60 * 100) / 100 : undefined;
  const useMeasured = units >= MEASURED_RATE_MIN_UNITS && measuredRate !== undefined;
  return {
    locationId,
    autoWave: stored?.autoWave ?? DEFAULT_SETTINGS.autoWave,
    maxOrdersPerWave: stored?.maxOrdersPerWave ?? DEFAULT_SETTINGS.maxOrdersPerWave,
    claimTimeoutSeconds: stored?.claimTimeoutSeconds ?? DEFAULT_SETTINGS.claimTimeoutSeconds,
    unitsPerMinute: useMeasured ? measuredRate : configured,
    unitsPerMinuteSource: useMeasured ? 'measured' : 'configured',
    configuredUnitsPerMinute: configured,
    measured: { units, seconds, ...(measuredRate === undefined ? {} : { unitsPerMinute: measuredRate }) },
    ...(stored?.updatedAt ? { updatedAt: stored.updatedAt } : {}),
    ...(stored?.updatedBy ? { updatedBy: stored.updatedBy } : {}),
  };
}

export async function readSettings(ports: Pick<FulfillmentPorts, 'store'>, locationId: string) {
  return effectiveSettings(locationId, await ports.store.getSettings(locationId));
}

/** Writes only the fields given (the measured rate is kept); answers the effective settings. */
export async function putSettings(
  ports: Pick<FulfillmentPorts, 'store' | 'clock'>,
  locationId: string,
  body: SettingsBody,
  by: string,
) {
  const stored = await ports.store.putSettings({
    locationId,
    ...body,
    updatedAt: ports.clock().toISOString(),
    updatedBy: by,
  });
  return effectiveSettings(locationId, stored);
}
