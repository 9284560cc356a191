import type { EventName, EventPayload } from '../../shared/api.js';

export type EventListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

/** A minimal typed fan-out: hosts subscribe once and forward every event over their transport. */
export class EventBus {
  private readonly listeners = new Set<EventListener>();

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const listener of this.listeners) listener(event, payload);
  }
}
