/**
 * The roles a person can hold (Cognito groups on AWS, picked at local sign-in). The kernel owns
 * the list so that the HTTP wrapper, the deployer and the console read one declaration.
 */
export const ROLES = [
  'admin',
  'supervisor',
  'inventory-controller',
  'warehouse-associate',
  'customer-service',
  'finance',
] as const;
export type Role = (typeof ROLES)[number];
