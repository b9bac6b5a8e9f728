-- (c) Product list pages following nextCursor. Each of a thread's connections walks the list page by page and
-- starts again from the first page after the last one. wrk does not tell which connection a response came on,
-- so the walks are kept as a queue of cursors: every response pushes its walk's next cursor, every request
-- pops one (or starts a new walk); with one request in flight per connection that is one walk per connection.
-- Args: limit=N (page size, default 20).
package.path = os.getenv("BENCH_LUA") .. "/?.lua;" .. package.path
local bench = require("bench")
local limit = 20
local queue, head, tail = {}, 1, 0
local pages, restarts = 0, 0

setup = bench.setup

function init(args)
  limit = tonumber(bench.args(args).limit) or limit
  bench.seed()
end

local function encode(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function request()
  local cursor = nil
  if head <= tail then
    cursor = queue[head]
    queue[head] = nil
    head = head + 1
  end
  local path = "/api/products?limit=" .. limit
  if cursor and cursor ~= "" then path = path .. "&cursor=" .. encode(cursor) end
  return wrk.format("GET", path)
end

function response(status, headers, body)
  local nextCursor = nil
  if status == 200 then
    pages = pages + 1
    nextCursor = body:match('"nextCursor"%s*:%s*"([^"]*)"')
  end
  if not nextCursor then restarts = restarts + 1 end
  tail = tail + 1
  queue[tail] = nextCursor or ""
  wrk.thread:set("pages", pages)
  wrk.thread:set("restarts", restarts)
end

function done(summary, latency, requests)
  bench.report(summary, latency, string.format(',"pages":%d,"walksCompleted":%d', bench.sum("pages"), bench.sum("restarts")))
end
