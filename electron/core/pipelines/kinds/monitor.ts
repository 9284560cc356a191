// Monitor: the deployed model's alert rules and retrain policy, set through the monitoring engine
// with the same calls as the app's Monitoring page. The step names its rules
// "pipeline:<pipeline id>:<node id>:<n>", so a rerun updates them in place, removes the ones the
// file no longer has, and never touches rules made in the app. A model has one retrain policy:
// the step sets it whole. Its output adds the model's last 24 hours as the step saw them.
import { isDeepStrictEqual } from 'node:util';
import type { AlertRule, RetrainPolicy } from '../../../../shared/api.js';
import {
  monitorRuleLine,
  monitorTaskIssues,
  type MonitorOutput,
  type MonitorRuleOutput,
} from '../../../../shared/pipeline.js';
import type { KindRunner } from '../executor.js';
import type { PipelineHost } from '../host.js';
import { expectPort } from '../ports.js';
import { kindRunner, paramError, type RunEnv } from './common.js';

/** The id prefix of every rule a pipeline's monitor steps make. */
export function pipelineRulePrefix(pipelineId: string): string {
  return `pipeline:${pipelineId}:`;
}

/** The id prefix of the rules one monitor node of one pipeline makes (":" is never in a node id). */
export function ruleIdPrefix(pipelineId: string, nodeId: string): string {
  return `${pipelineRulePrefix(pipelineId)}${nodeId}:`;
}

function ruleOutput(r: AlertRule): MonitorRuleOutput {
  return {
    id: r.id,
    line: monitorRuleLine(r),
    metric: r.metric,
    comparator: r.comparator,
    threshold: r.threshold,
    window: r.window,
    action: r.action,
    minSamples: r.minSamples,
    enabled: r.enabled,
  };
}

function policyOutput(p: RetrainPolicy): MonitorOutput['policy'] {
  return {
    onAlert: p.triggers.onAlert,
    scheduleHours: p.triggers.scheduleHours,
    onNewDatasetVersion: p.triggers.onNewDatasetVersion,
    metric: p.metric,
    margin: p.margin,
    includeLabelledRequests: p.includeLabelledRequests,
    alias: p.alias,
    mode: p.mode,
    sweepTrials: p.sweepTrials,
  };
}

/** Requests, errors, drift and firing alerts over the last day; null when the overview cannot be read. */
async function headline(host: PipelineHost, model: string): Promise<MonitorOutput['headline']> {
  try {
    const o = await host.monitoringOverview({ model, window: '24h' });
    return {
      window: o.window,
      requests: o.totals.requests,
      errorRate: o.totals.errorRate,
      driftScore: o.drift.score,
      firingAlerts: o.firing.length,
    };
  } catch {
    // A headline is a courtesy: the rules and policy are set, which is what the step is for.
    return null;
  }
}

export function monitorKind(env: RunEnv): KindRunner {
  return kindRunner('monitor', {
    // 2: the policy it reports has the retrain mode and sweep trials.
    version: 2,
    // The rules' ids name the pipeline, so the same step in another pipeline is not the same step.
    async identity() {
      return { key: env.pipelineId, value: null };
    },
    async run(ctx, p) {
      const { model } = expectPort(ctx.inputs.endpoint, 'endpoint', 'endpoint');
      // Checked before anything is changed, so a bad rule leaves the earlier rules as they were.
      const bad = monitorTaskIssues(p, model.task, `"${model.name}"`)[0];
      if (bad) throw paramError(bad.field, bad.message);

      const prefix = ruleIdPrefix(env.pipelineId, ctx.node.id);
      const mine = env.host.alertRules().filter((r) => r.id.startsWith(prefix));
      const applied: AlertRule[] = [];
      for (const [i, r] of p.rules.entries()) {
        ctx.signal.throwIfAborted();
        const id = `${prefix}${i}`;
        const before = mine.find((x) => x.id === id);
        // Moved to another model it is another rule: alerts it fired about the old model end with it.
        if (before && before.model.toLowerCase() !== model.name.toLowerCase()) env.host.deleteAlertRule(id);
        applied.push(
          await env.host.saveAlertRule(
            {
              id,
              model: model.name,
              metric: r.metric,
              comparator: r.comparator,
              threshold: r.threshold,
              window: r.window,
              action: r.action,
              enabled: true,
            },
            { createWithId: true },
          ),
        );
      }
      for (const stale of mine) if (!applied.some((a) => a.id === stale.id)) env.host.deleteAlertRule(stale.id);

      ctx.signal.throwIfAborted();
      const policy = await env.host.setRetrainPolicy({
        model: model.name,
        triggers: {
          onAlert: p.retrainOnAlert,
          scheduleHours: p.scheduleHours ?? null,
          onNewDatasetVersion: p.onNewDatasetVersion,
        },
        includeLabelledRequests: p.includeLabelledRequests,
        ...(p.compareMetric !== 'auto' ? { metric: p.compareMetric } : {}),
        margin: p.margin,
        // The alias the deployed endpoint follows is the one a better challenger should take.
        alias: model.alias ?? 'production',
        mode: p.retrainMode,
        sweepTrials: p.sweepTrials,
      });
      const monitoring: MonitorOutput = {
        rules: applied.map(ruleOutput),
        policy: policyOutput(policy),
        headline: await headline(env.host, policy.model),
        ruleIdPrefix: prefix,
      };
      return {
        output: {
          model: { name: model.name, version: model.version, ...(model.alias ? { alias: model.alias } : {}) },
          monitoring,
        },
        ports: {},
      };
    },
    async stillValid(result) {
      const m = result.output.monitoring;
      const model = result.output.model;
      if (!m || !model) return false;
      // Exactly this step's rules, each with the settings it gave them (the app may have edited or deleted one).
      const mine = env.host.alertRules().filter((r) => r.id.startsWith(m.ruleIdPrefix));
      if (mine.length !== m.rules.length) return false;
      for (const want of m.rules) {
        const r = mine.find((x) => x.id === want.id);
        if (!r || r.model.toLowerCase() !== model.name.toLowerCase() || !isDeepStrictEqual(ruleOutput(r), want))
          return false;
      }
      let policy: RetrainPolicy;
      try {
        policy = env.host.retrainPolicy(model.name);
      } catch {
        return false; // the model is gone
      }
      return policy.saved && isDeepStrictEqual(policyOutput(policy), m.policy);
    },
  });
}
