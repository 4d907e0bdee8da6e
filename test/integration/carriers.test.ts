import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/** PUT/GET /api/carriers: the carriers and cutoffs wave planning reads, with roles and audit. */

let rt: TestRuntime;

beforeAll(async () => {
  rt = await startTestRuntime();
});
afterAll(() => rt?.stop());

const ups = {
  name: 'UPS',
  services: [
    {
      code: 'GND',
      serviceLevels: ['standard'],
      cutoffs: [{ locationId: 'EAST', time: '17:00', days: [1, 2, 3, 4, 5] }],
    },
    {
      code: 'NDA',
      serviceLevels: ['overnight', 'expedited'],
      cutoffs: [{ locationId: 'EAST', time: '15:30' }],
    },
  ],
};

describe('carriers', () => {
  it('creates, replaces and lists a carrier, and audits the change', async () => {
    const created = await rt.api('PUT', '/api/carriers/ups', { role: 'supervisor', body: ups });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ carrierId: 'ups', ...ups, updatedBy: 'local-supervisor' });

    const renamed = { ...ups, name: 'UPS Ground & Air' };
    const replaced = await rt.api('PUT', '/api/carriers/ups', { role: 'admin', body: renamed });
    expect(replaced.status).toBe(200);
    await rt.api('PUT', '/api/carriers/dhl', {
      body: { name: 'DHL', services: [{ code: 'EXP', serviceLevels: ['expedited'], cutoffs: [] }] },
    });

    const list = await rt.api('GET', '/api/carriers', { role: 'warehouse-associate' });
    expect(list.status).toBe(200);
    expect(list.body.items.map((c: { carrierId: string }) => c.carrierId)).toEqual(['dhl', 'ups']);
    expect(list.body.items[1]).toEqual({
      carrierId: 'ups',
      ...renamed,
      updatedAt: expect.any(String),
      updatedBy: 'local-admin',
    });

    const audit = await rt.api('GET', '/api/audit?action=PUT%20/api/carriers/%7BcarrierId%7D', {
      role: 'supervisor',
    });
    expect(audit.body.items).toHaveLength(3);
    expect(audit.body.items).toContainEqual(
      expect.objectContaining({
        actor: 'local-admin',
        target: { carrierId: 'ups' },
        outcome: 'succeeded',
        status: 200,
        before: expect.objectContaining({ name: 'UPS' }),
        after: expect.objectContaining({ name: 'UPS Ground & Air' }),
      }),
    );
  });

  it('lets only supervisors and admins change carriers, and everyone but finance read them', async () => {
    const associate = await rt.api('PUT', '/api/carriers/fedex', { role: 'warehouse-associate', body: ups });
    expect(associate.status).toBe(403);
    expect(associate.body.error.code).toBe('FORBIDDEN');
    expect((await rt.api('GET', '/api/carriers', { role: 'finance' })).status).toBe(403);
    expect((await rt.api('GET', '/api/carriers', { role: 'customer-service' })).status).toBe(200);
    expect((await rt.api('GET', '/api/carriers', { role: null })).status).toBe(401);
    const listed = await rt.api('GET', '/api/carriers');
    expect(listed.body.items.map((c: { carrierId: string }) => c.carrierId)).not.toContain('fedex');
  });

  it('refuses a malformed carrier with a stable 400 naming the field', async () => {
    const bad = await rt.api('PUT', '/api/carriers/ups', {
      body: {
        name: 'UPS',
        services: [
          { code: 'GND', serviceLevels: ['standard'], cutoffs: [{ locationId: 'EAST', time: '5pm' }] },
        ],
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({
      error: {
        code: 'VALIDATION_FAILED',
        message: expect.any(String),
        details: {
          issues: [{ field: 'services.0.cutoffs.0.time', message: expect.stringContaining('HH:mm') }],
        },
      },
    });
    const badDay = await rt.api('PUT', '/api/carriers/ups', {
      body: {
        ...ups,
        services: [{ ...ups.services[0], cutoffs: [{ locationId: 'EAST', time: '17:00', days: [0] }] }],
      },
    });
    expect(badDay.status).toBe(400);
    expect(badDay.body.error.details.issues[0].field).toBe('services.0.cutoffs.0.days.0');
    const badId = await rt.api('PUT', '/api/carriers/%20ups', { body: ups });
    expect(badId.status).toBe(400);

    // Nothing was written by the refused requests.
    const list = await rt.api('GET', '/api/carriers');
    expect(list.body.items.find((c: { carrierId: string }) => c.carrierId === 'ups').name).toBe(
      'UPS Ground & Air',
    );
  });
});
