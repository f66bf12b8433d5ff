// A Node service on our queue: node consume.mjs REDIS_URL PREFIX QUEUE DEDUP_ID
// Adds a job with the same deduplication id as a Python producer did (must add nothing new),
// then runs a BullMQ Worker until every waiting job is done, and reports what it saw.
import { Queue, Worker } from 'bullmq'
import IORedis from 'ioredis'

const [url, prefix, name, dedupId] = process.argv.slice(2)
const connection = new IORedis(url, { maxRetriesPerRequest: null })
const queue = new Queue(name, { connection, prefix })
const duplicate = await queue.add('sync.product_to_payload', { product_id: 'from-node' }, {
  deduplication: { id: dedupId, ttl: 300_000 },
})
const workerConnection = new IORedis(url, { maxRetriesPerRequest: null })
const seen = []
const worker = new Worker(name, async (job) => {
  seen.push({ id: job.id, name: job.name, data: job.data, attemptsMade: job.attemptsMade })
  await job.updateProgress(50)
  return { handledBy: 'node', product: job.data.product_id }
}, { connection: workerConnection, prefix })
const deadline = Date.now() + 20_000
while (Date.now() < deadline) {
  const counts = await queue.getJobCounts('waiting', 'active', 'delayed')
  if (counts.waiting + counts.active + counts.delayed === 0 && seen.length > 0) break
  await new Promise((resolve) => setTimeout(resolve, 100))
}
await worker.close()
console.log(JSON.stringify({ duplicateId: duplicate.id, seen }))
await queue.close()
await connection.quit()
await workerConnection.quit()
