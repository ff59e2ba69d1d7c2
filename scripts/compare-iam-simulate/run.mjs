// Runs every simulation of sims.json through @cloud-copilot/iam-simulate.
//
// usage: node run.mjs SIMS.json [--decisions OUT.json] [--passes N] [--quiet] [--once]
//
// --once: one pass and exit, nothing printed (for whole-process timing).
// One warm-up pass, then one timed pass in the same process; prints the
// in-loop time per request (a scenario request = its simulations, i.e. the
// S3 request plus the implied KMS call when there is one) and per
// simulation. With --decisions, writes each request's decision.
// Resolve the package from the directory it was installed into
// (IAMSIM_DIR, default /tmp/iamsim), so this script can live in the repo.
import { readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'

const dir = process.env.IAMSIM_DIR || '/tmp/iamsim'
const require = createRequire(dir + '/package.json')
const { runSimulation } = await import(pathToFileURL(require.resolve('@cloud-copilot/iam-simulate')).href)

const args = process.argv.slice(2)
const simsPath = args[0] || 'sims.json'
const quiet = args.includes('--quiet')
const di = args.indexOf('--decisions')
const decisionsPath = di >= 0 ? args[di + 1] : null

const { entries } = JSON.parse(readFileSync(simsPath, 'utf8'))

async function decideOne(entry) {
  const results = []
  for (const sim of entry.simulations) {
    const r = await runSimulation(sim, {})
    if (r.resultType === 'error') {
      results.push({ overall: 'Error', errors: r.errors })
    } else {
      const ignored = r.result?.ignoredContextKeys ?? r.results?.flatMap((x) => x.ignoredContextKeys ?? []) ?? []
      results.push(ignored.length ? { overall: r.overallResult, ignoredContextKeys: ignored } : { overall: r.overallResult })
    }
  }
  let decision = results.every((r) => r.overall === 'Allowed') ? 'allow' : 'deny'
  if (results.some((r) => r.overall === 'Error')) decision = 'error'
  return { decision, results }
}

async function pass() {
  const out = []
  for (const e of entries) out.push(await decideOne(e))
  return out
}

const nSims = entries.reduce((n, e) => n + e.simulations.length, 0)
if (args.includes('--once')) {
  // Whole-process measurement: load, one cold pass, exit.
  await pass()
  process.exit(0)
}
const pi = args.indexOf('--passes')
const nPasses = pi >= 0 ? Math.max(1, Number(args[pi + 1])) : 1
const t0 = process.hrtime.bigint()
const warm = await pass()
const t1 = process.hrtime.bigint()
const warmUs = Number(t1 - t0) / 1000
// Timed passes: the first is "the" pass; with --passes N the median of N is
// reported as well, since one pass on a busy machine is noisy.
const passUs = []
let timed
for (let p = 0; p < nPasses; p++) {
  const a = process.hrtime.bigint()
  timed = await pass()
  passUs.push(Number(process.hrtime.bigint() - a) / 1000)
}
const sorted = [...passUs].sort((x, y) => x - y)
const medianUs = sorted[Math.floor((sorted.length - 1) / 2)]
const timedUs = medianUs
if (!quiet) {
  console.log(`iam-simulate: ${entries.length} requests, ${nSims} simulations`)
  console.log(`warm-up pass: ${(warmUs / 1000).toFixed(1)} ms`)
  if (nPasses > 1) console.log(`timed passes (ms): ${passUs.map((u) => (u / 1000).toFixed(1)).join(' ')}; median:`)
  console.log(`timed pass:   ${(timedUs / 1000).toFixed(1)} ms = ` +
    `${(timedUs / entries.length).toFixed(1)} µs/request, ${(timedUs / nSims).toFixed(1)} µs/simulation`)
  const counts = {}
  for (const d of timed) counts[d.decision] = (counts[d.decision] || 0) + 1
  console.log('decisions:', JSON.stringify(counts))
  for (let i = 0; i < entries.length; i++) {
    if (timed[i].decision !== warm[i].decision) console.log('unstable decision:', entries[i].file, entries[i].index)
  }
}
if (decisionsPath) {
  writeFileSync(decisionsPath, JSON.stringify({
    timing: { requests: entries.length, simulations: nSims, warmupUs: warmUs, timedUs, passUs, minUs: sorted[0] },
    decisions: entries.map((e, i) => ({
      file: e.file, index: e.index, name: e.name, expect: e.expect, notes: e.notes,
      decision: timed[i].decision, results: timed[i].results
    }))
  }, null, 1))
}
