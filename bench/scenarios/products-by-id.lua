-- (a) through the gateway and (b) straight to a catalog replica or nginx: GET /api/products/{random id}.
-- Args: products=N (ids 1..N exist).
package.path = os.getenv("BENCH_LUA") .. "/?.lua;" .. package.path
local bench = require("bench")
local products = 10000

setup = bench.setup

function init(args)
  products = tonumber(bench.args(args).products) or products
  bench.seed()
end

function request()
  return wrk.format("GET", "/api/products/" .. math.random(1, products))
end

function done(summary, latency, requests)
  bench.report(summary, latency)
end
