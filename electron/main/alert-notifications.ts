// A desktop notification for every monitoring alert that fires while the app runs; clicking it
// brings the window forward. The alert itself is recorded and shown in the app either way.
import { Notification } from 'electron';
import type { Alert } from '../../shared/api.js';
import type { CairnService } from '../core/service.js';

/** Shows fired alerts as desktop notifications; returns the function that stops. */
export function notifyAlerts(service: CairnService, show: () => void): () => void {
  return service.events.subscribe((name, payload) => {
    if (name !== 'alert.fired' || !Notification.isSupported()) return;
    const alert = payload as Alert;
    const notification = new Notification({ title: `Cairn: alert on ${alert.model}`, body: alert.message });
    notification.on('click', show);
    notification.show();
  });
}
