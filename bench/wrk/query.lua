-- wrk script of bench/query-bench.sh.
--   wrk ... -s bench/wrk/query.lua URL -- org TOKENS_FILE ORGS INTEGRATIONS
--       GET /v1/orgs/{org}/integrations/{name} for random (org, integration) pairs, each with that org's bearer
--       token (TOKENS_FILE: one JWT per line, line n = org n-1; orgs org-00000.., integrations bench-int-0..).
--   wrk ... -s bench/wrk/query.lua URL -- path PATH [TOKEN]
--       GET PATH, with a bearer token when one is given.
-- done() prints one machine-readable line: WRK requests=.. seconds=.. rps=.. p50_ms=.. p99_ms=.. non2xx=.. errors=..
-- Requests are built in init (a pool per thread) so the Lua side costs as little CPU as possible per request.

local pool = {}
local size = 0

function init(args)
  local mode = args[1]
  if mode == "org" then
    local tokens = {}
    for line in io.lines(args[2]) do tokens[#tokens + 1] = line end
    local orgs = tonumber(args[3])
    local integrations = tonumber(args[4])
    if #tokens < orgs then error("only " .. #tokens .. " tokens for " .. orgs .. " orgs") end
    -- a different random sequence per thread
    math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)
    size = 20000
    for n = 1, size do
      local o = math.random(0, orgs - 1)
      local i = math.random(0, integrations - 1)
      local path = string.format("/v1/orgs/org-%05d/integrations/bench-int-%d", o, i)
      pool[n] = wrk.format("GET", path, { ["Authorization"] = "Bearer " .. tokens[o + 1] })
    end
  elseif mode == "path" then
    local headers = {}
    if args[3] and args[3] ~= "" then headers["Authorization"] = "Bearer " .. args[3] end
    size = 1
    pool[1] = wrk.format("GET", args[2], headers)
  else
    error("first script argument: org or path")
  end
end

local next_index = 0

function request()
  next_index = next_index % size + 1
  return pool[next_index]
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("WRK requests=%d seconds=%.2f rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f non2xx=%d errors=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, summary.errors.status, errors))
end
