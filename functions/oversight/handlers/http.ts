import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { acknowledgeAlert, getAlertSettings, listAlerts, putAlertSettings } from './alerts-http.ts';
import { getKpis } from './get-kpis.ts';
import { routeNotServed } from './route-not-served.ts';

/**
 * Every oversight route in one function, one handler module per use case: the stateless stack's
 * outputs are close to CloudFormation's limit and each function costs one (docs/decisions.md).
 * A route key not listed here is refused by the wrapper's role table like any undeclared route.
 */
const ROUTES = {
  'GET /api/kpis': getKpis,
  'GET /api/alerts': listAlerts,
  'POST /api/alerts/{alertId}/acknowledge': acknowledgeAlert,
  'GET /api/alerts/settings': getAlertSettings,
  'PUT /api/alerts/settings': putAlertSettings,
} as const;

export async function handler(event: APIGatewayProxyEventV2, context: Context) {
  const route = ROUTES[event.routeKey as keyof typeof ROUTES] ?? routeNotServed;
  return route(event, context);
}
