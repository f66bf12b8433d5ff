// Reads a queue the way a Node dashboard would: node inspect.mjs REDIS_URL PREFIX QUEUE [JOB_ID]
import { Queue, Job } from 'bullmq'
import IORedis from 'ioredis'

const [url, prefix, name, jobId] = process.argv.slice(2)
const connection = new IORedis(url, { maxRetriesPerRequest: null })
const queue = new Queue(name, { connection, prefix })
const counts = await queue.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed')
let job = null
if (jobId) {
  const found = await Job.fromId(queue, jobId)
  if (found) {
    job = {
      id: found.id,
      name: found.name,
      data: found.data,
      attempts: found.opts.attempts,
      state: await found.getState(),
      returnvalue: found.returnvalue,
    }
  }
}
console.log(JSON.stringify({ counts, job }))
await queue.close()
await connection.quit()
