-- The ceiling: bare Kestrel's GET /json (the URL given to wrk). No request() or response(): wrk's fastest path.
package.path = os.getenv("BENCH_LUA") .. "/?.lua;" .. package.path
local bench = require("bench")

setup = bench.setup

function done(summary, latency, requests)
  bench.report(summary, latency)
end
