// Test-only: an auditor that records every event the plugin emits.
import { mockServices } from '@backstage/backend-test-utils';

export interface AuditedEvent {
  eventId: string;
  outcome?: 'success' | 'fail';
  meta?: Record<string, any>;
  error?: Error;
}

/** Records every audit event the plugin emits, with how it ended. */
export function recordingAuditor() {
  const events: AuditedEvent[] = [];
  const mock = mockServices.auditor.mock({
    createEvent: async ({ eventId }) => {
      const event: AuditedEvent = { eventId };
      events.push(event);
      return {
        success: async ({ meta } = {}) => {
          Object.assign(event, { outcome: 'success', meta });
        },
        fail: async ({ error, meta }) => {
          Object.assign(event, { outcome: 'fail', error, meta });
        },
      };
    },
  });
  return {
    events,
    /** The events of one id, in the order they began. */
    eventsOf: (eventId: string) => events.filter(e => e.eventId === eventId),
    factory: mock.factory,
  };
}
