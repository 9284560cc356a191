// What travels through the queue is Cairn's own job kinds as plain data, in a format both ends
// know; the queue's address never shows its password.
import { describe, expect, it } from 'vitest';
import { FLEET_JOB_FORMAT, FleetJob, jobFormatProblem } from '../../../../../shared/fleet/job-format.js';
import { maskQueueUrl, parseQueueUrl, queueUrlWithoutPassword } from '../../../../../electron/core/fleet/queue-url.js';

const job = {
  format: FLEET_JOB_FORMAT,
  kind: 'train',
  runId: '0b7f5d0e-7a8a-4a43-9d6f-2f0c8a1e9b11',
  request: { dataset: 'iris', target: 'species', model: 'logistic_regression' },
  columns: [{ name: 'species', storageType: 'VARCHAR', type: 'categorical' }],
  data: { sha256: 'a'.repeat(64), bytes: 10 },
  explain: false,
};

describe('a fleet job', () => {
  it('is a train job with its data named by hash', () => {
    expect(FleetJob.safeParse(job).success).toBe(true);
  });

  it('is refused when it names another kind, a path, or a field this build does not know', () => {
    const refused = [
      { ...job, kind: 'command', command: 'rm -rf /' },
      { ...job, dataFile: '/etc/passwd' },
      { ...job, data: { sha256: '../../etc/passwd', bytes: 1 } },
      { ...job, runId: '../x' },
      { ...job, request: { ...job.request, model: 'shell' } },
    ];
    for (const bad of refused) expect(FleetJob.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
  });

  it('is refused by format before anything else, saying which the worker knows', () => {
    expect(jobFormatProblem({ ...job, format: 3 }, 2)).toBe('job format 3, this worker knows up to 2: upgrade it');
    expect(jobFormatProblem({ kind: 'train' })).toBe('not a Cairn job: it has no format number');
    expect(jobFormatProblem(job)).toBeUndefined();
  });
});

describe('the queue URL', () => {
  it('is shown and saved without its password', () => {
    expect(maskQueueUrl('redis://:s3cret@host:6380/2')).toBe('redis://:***@host:6380/2');
    expect(maskQueueUrl('rediss://user:s3cret@host:6380')).toBe('rediss://user:***@host:6380');
    expect(maskQueueUrl('redis://host:6379')).toBe('redis://host:6379');
    expect(queueUrlWithoutPassword('redis://user:s3cret@host:6380/2')).toBe('redis://user@host:6380/2');
    expect(queueUrlWithoutPassword('redis://:s3cret@host:6380/2')).toBe('redis://host:6380/2');
  });

  it('takes its password from the URL, the caller or an environment variable', () => {
    expect(parseQueueUrl('redis://:p%40ss@h:1/3')).toEqual({ host: 'h', port: 1, db: 3, password: 'p@ss', tls: false });
    expect(parseQueueUrl('rediss://u@h', { password: 'x' })).toEqual({
      host: 'h',
      port: 6379,
      db: 0,
      username: 'u',
      password: 'x',
      tls: true,
    });
    expect(parseQueueUrl('redis://h:2', { passwordEnv: 'Q_PW' }, { Q_PW: 'from-env' }).password).toBe('from-env');
    expect(() => parseQueueUrl('redis://h:2', { passwordEnv: 'Q_PW' }, {})).toThrow(/Q_PW/);
    expect(() => parseQueueUrl('http://h:2')).toThrow(/redis:\/\//);
    expect(() => parseQueueUrl('redis://:pw@h:2/x')).toThrow(/database is a number/);
  });
});
