// Adds jobs the way a Node service would: node produce.mjs REDIS_URL PREFIX QUEUE COUNT
import { Queue } from 'bullmq'
import IORedis from 'ioredis'

const [url, prefix, name, count] = process.argv.slice(2)
const connection = new IORedis(url, { maxRetriesPerRequest: null })
const queue = new Queue(name, { connection, prefix })
const ids = []
for (let n = 0; n < Number(count); n++) {
  const job = await queue.add('record', { n, from: 'node' }, { attempts: 2 })
  ids.push(job.id)
}
console.log(JSON.stringify({ ids }))
await queue.close()
await connection.quit()
