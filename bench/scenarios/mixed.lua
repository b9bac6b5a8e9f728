-- (e) Signed-in mixed load, 90 % reads / 10 % writes, every request with a bearer token of a seeded user
-- (a signed-in client sends it on reads too):
--   40 % GET /api/products/{id}         30 % GET /api/posts/{id}
--   20 % GET /api/users/{id}/posts?limit=10
--    5 % POST /api/posts                 5 % POST /api/posts/{id}/comments
-- Args: tokens=FILE (one access token per line, from logins before the run), products=N, posts=N, users=N,
-- stopAfter=N (soak: each thread stops after N responses; 0 = run for wrk's duration).
package.path = os.getenv("BENCH_LUA") .. "/?.lua;" .. package.path
local bench = require("bench")
local products, posts, users = 10000, 50000, 10000
local tokens = {}
local stopAfter, responses = 0, 0
local n = 0

setup = bench.setup

function init(args)
  local a = bench.args(args)
  products = tonumber(a.products) or products
  posts = tonumber(a.posts) or posts
  users = tonumber(a.users) or users
  stopAfter = tonumber(a.stopAfter) or 0
  local f = assert(io.open(assert(a.tokens, "tokens=FILE is required"), "r"))
  for line in f:lines() do
    if line ~= "" then table.insert(tokens, "Bearer " .. line) end
  end
  f:close()
  assert(#tokens > 0, "no tokens in " .. a.tokens)
  bench.seed()
end

function request()
  n = n + 1
  local headers = { ["Authorization"] = tokens[math.random(1, #tokens)] }
  local r = math.random(1, 100)
  if r <= 40 then
    return wrk.format("GET", "/api/products/" .. math.random(1, products), headers)
  elseif r <= 70 then
    return wrk.format("GET", "/api/posts/" .. math.random(1, posts), headers)
  elseif r <= 90 then
    return wrk.format("GET", "/api/users/" .. math.random(1, users) .. "/posts?limit=10", headers)
  end
  headers["Content-Type"] = "application/json"
  if r <= 95 then
    return wrk.format("POST", "/api/posts", headers,
      string.format('{"title":"Bench post %d","body":"Written by the benchmark, request %d."}', n, n))
  end
  return wrk.format("POST", "/api/posts/" .. math.random(1, posts) .. "/comments", headers,
    string.format('{"body":"Benchmark comment %d."}', n))
end

-- Only the soak counts responses (to stop at its target: this thread stops, leaves a file in BENCH_STOP_DIR,
-- and bench/run ends wrk once every thread has); otherwise wrk's fast path (no response callback) is kept.
local stopDir = os.getenv("BENCH_STOP_DIR")
if stopDir then
  function response(status, headers, body)
    responses = responses + 1
    if stopAfter > 0 and responses == stopAfter then
      local f = io.open(stopDir .. "/thread-" .. tostring(wrk.thread:get("id")), "w")
      if f then f:close() end
      wrk.thread:stop()
    end
  end
end

function done(summary, latency, requests)
  bench.report(summary, latency)
end
