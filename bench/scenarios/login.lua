-- (f) POST /api/auth/login with random seeded users: bound by password hashing (PBKDF2 / bcrypt), so it is
-- reported on its own. Args: users=N, password=P, domain=bench.test (emails user{i}@{domain}).
package.path = os.getenv("BENCH_LUA") .. "/?.lua;" .. package.path
local bench = require("bench")
local users, password, domain = 10000, "bench-password-1", "bench.test"
local headers = { ["Content-Type"] = "application/json" }

setup = bench.setup

function init(args)
  local a = bench.args(args)
  users = tonumber(a.users) or users
  password = a.password or password
  domain = a.domain or domain
  bench.seed()
end

function request()
  local body = string.format('{"email":"user%d@%s","password":"%s"}', math.random(1, users), domain, password)
  return wrk.format("POST", "/api/auth/login", headers, body)
end

function done(summary, latency, requests)
  bench.report(summary, latency)
end
