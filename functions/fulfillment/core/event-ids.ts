/** Fulfillment's events carry ids derived from what they announce (a wave, a task × fulfillment, a fulfillment × cutoff). */
export { derivedEvent as fulfillmentEvent } from '#shared/events';
