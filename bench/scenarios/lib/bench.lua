-- Shared by every scenario: per-thread random seeds, argument parsing, and the one result line bench/run
-- parses. wrk counts responses with status > 399 itself (summary.errors.status: its "Non-2xx or 3xx
-- responses"), so scenarios that need no response body keep wrk's fast path (no response() callback) and
-- still report every failed response.
local M = {}

local threads = {}
local next_id = 0

-- setup() runs once per thread in the main Lua state: number the threads so their random sequences differ.
function M.setup(thread)
  next_id = next_id + 1
  thread:set("id", next_id)
  table.insert(threads, thread)
end

function M.seed()
  local id = wrk.thread:get("id") or 0
  math.randomseed(os.time() * 1000 + id * 7919)
  -- LuaJIT's first values after seeding are poorly mixed.
  for _ = 1, 10 do math.random() end
end

-- "key=value" arguments after wrk's "--".
function M.args(args)
  local parsed = {}
  for _, a in ipairs(args or {}) do
    local k, v = a:match("^([%w_]+)=(.*)$")
    if k then parsed[k] = v end
  end
  return parsed
end

-- Sums a per-thread counter (set with wrk.thread:set in the thread's own state) over all threads.
function M.sum(name)
  local total = 0
  for _, t in ipairs(threads) do total = total + (tonumber(t:get(name)) or 0) end
  return total
end

-- One JSON line: BENCH_RESULT {...}. Latencies in microseconds. `extra` is a JSON fragment (",\"k\":v").
function M.report(summary, latency, extra)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"durationUs":%d,"bytes":%d,"rps":%.2f,"p50Us":%d,"p90Us":%d,"p99Us":%d,"maxUs":%d,"meanUs":%.1f,' ..
    '"non2xx":%d,"errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d}%s}\n',
    summary.requests, summary.duration, summary.bytes, summary.requests / seconds,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
    e.status, e.connect, e.read, e.write, e.timeout, extra or ""))
end

return M
