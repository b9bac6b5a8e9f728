-- (d) GET /api/users/{random id}/overview: the gateway's aggregation (user, latest posts, latest comments).
-- Args: users=N.
package.path = os.getenv("BENCH_LUA") .. "/?.lua;" .. package.path
local bench = require("bench")
local users = 10000

setup = bench.setup

function init(args)
  users = tonumber(bench.args(args).users) or users
  bench.seed()
end

function request()
  return wrk.format("GET", "/api/users/" .. math.random(1, users) .. "/overview")
end

function done(summary, latency, requests)
  bench.report(summary, latency)
end
