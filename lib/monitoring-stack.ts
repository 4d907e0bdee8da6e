import { Stack, type StackProps } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import type { Construct } from 'constructs';
import { InventoryMismatchDetected } from '../functions/inventory/events/inventory-mismatch-detected.ts';
import { AlarmTopic } from './constructs/alarm-topic.ts';
import { SystemAlarms } from './constructs/alarms.ts';
import { SystemDashboard } from './constructs/dashboard.ts';
import { DeadLetterQueue } from './constructs/dead-letter-queue.ts';
import { EventNotification } from './constructs/event-notification.ts';
import type { QmStatelessStack } from './stateless-stack.ts';

export interface QmMonitoringStackProps extends StackProps {
  readonly stage: string;
  readonly bus: events.IEventBus;
  /** The stack whose functions, state machines, API and queues are watched. */
  readonly stateless: QmStatelessStack;
}

/**
 * What watches the system: the alarm topic, an alarm for everything that can fail silently, the
 * inventory mismatch notice and the stage's dashboard. A stack of its own because it grows with
 * the functions (two alarms each) and every stack has to stay under CloudFormation's 500
 * resources; it reads the stateless stack's names (the functions' through the outputs of the
 * context's nested stack) with weak cross-stack references.
 *
 * Every dead-letter queue of the app gets its alarms here; synth fails if one was created after
 * this stack, or anywhere this stack does not see.
 */
export class QmMonitoringStack extends Stack {
  readonly alarmTopic: AlarmTopic;
  readonly alarms: SystemAlarms;
  readonly dashboard: SystemDashboard;
  readonly inventoryMismatchNotice: EventNotification;

  constructor(scope: Construct, id: string, props: QmMonitoringStackProps) {
    super(scope, id, props);
    const { stateless } = props;
    this.alarmTopic = new AlarmTopic(this, 'AlarmTopic', { stage: props.stage });
    const topic = this.alarmTopic.topic;

    const field = (path: string) => events.EventField.fromPath(path);
    this.inventoryMismatchNotice = new EventNotification(this, 'InventoryMismatchNotice', {
      bus: props.bus,
      topic,
      event: InventoryMismatchDetected,
      description: 'Mails every mismatch the inventory invariant checker finds to the alarm topic',
      message: events.RuleTargetInput.fromText(
        [
          `Quartermaster ${props.stage}: inventory mismatch.`,
          `SKU ${field('$.detail.data.sku')} at ${field('$.detail.data.locationId')} (shard ${field('$.detail.data.shard')})`,
          `breaks invariant ${field('$.detail.data.invariant')}: ${field('$.detail.data.problem')}.`,
          `Checked at ${field('$.detail.data.checkedAt')}; event ${field('$.detail.metadata.eventId')},`,
          `correlation ${field('$.detail.metadata.correlationId')}. The evidence is in the event (bus archive);`,
          'correct it with POST /api/inventory/repairs.',
        ].join(' '),
      ),
    });

    // Searched after the notice's own queue exists, so that one is watched too.
    const deadLetterQueues = DeadLetterQueue.allIn(this.node.root);
    const functionsByContext = new Map([...stateless.services.values()].map((s) => [s.context, s.functions]));
    this.alarms = new SystemAlarms(this, 'Alarms', {
      stage: props.stage,
      topic,
      deadLetterQueues,
      functions: stateless.functions,
      stateMachines: stateless.workflows.machines,
      streamConsumers: stateless.streamConsumers.functions,
      batchQueues: stateless.eventRules.batchQueues,
      httpStage: stateless.httpApi.stage,
    });
    this.dashboard = new SystemDashboard(this, 'Dashboard', {
      stage: props.stage,
      httpStage: stateless.httpApi.stage,
      api5xxRate: this.alarms.api5xxRate,
      functionsByContext,
      deadLetterQueues,
      stateMachines: stateless.workflows.machines,
      streamConsumers: stateless.streamConsumers.functions,
      batchQueues: stateless.eventRules.batchQueues,
      noticeRules: [
        { label: 'inventory mismatches', bus: props.bus, rule: this.inventoryMismatchNotice.rule },
      ],
    });

    const watched = this.alarms.deadLetterQueueAlarms;
    this.node.addValidation({
      validate: () =>
        DeadLetterQueue.allIn(this.node.root)
          .filter((queue) => !watched.has(queue))
          .map(
            (queue) =>
              `Dead-letter queue ${queue.node.path} has no alarm: create it before the monitoring stack (see addQuartermasterStacks).`,
          ),
    });
  }
}
