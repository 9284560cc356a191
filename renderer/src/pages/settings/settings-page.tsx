// Settings: what this installation is set to do. Its one section so far is Compute (the worker
// fleet and where work runs).
import '../../styles/settings.css';
import { ComputeSettings } from './compute-settings.js';

export function SettingsPage() {
  return (
    <div className="settings-page" data-testid="settings-page">
      <h1>Settings</h1>
      <ComputeSettings />
    </div>
  );
}
