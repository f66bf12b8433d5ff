import type { CollectionConfig } from 'payload'

// One document per sync job attempt, written by the worker through PayloadAuditSink
// (fields of SyncJobRecord.to_doc()).
export const SyncJobs: CollectionConfig = {
  slug: 'sync-jobs',
  access: { read: () => true },
  fields: [
    { name: 'jobId', type: 'text', index: true },
    { name: 'jobName', type: 'text' },
    { name: 'requestId', type: 'text' },
    { name: 'status', type: 'text' },
    { name: 'attempt', type: 'number' },
    { name: 'startedAt', type: 'date' },
    { name: 'finishedAt', type: 'date' },
    { name: 'durationMs', type: 'number' },
    { name: 'data', type: 'json' },
    { name: 'error', type: 'textarea' },
  ],
}
