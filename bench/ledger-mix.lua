-- The ledger benchmark's request mix for wrk (bench/wrk-load.ts): 50% earn, 35% spend, 15% transfer
-- between random members, as bench/ledger.ts sends it from Node. Arguments after `--`: the file of
-- member ids (one per line), the secret key, the random seed.
-- done() prints one JSON line the benchmark reads: requests, duration, latency p50/p99 (µs), and
-- answers other than 201 or 422 (a spend the balance did not cover is expected).

local members = {}
local headers = {}
-- A global, so that done() can read it from the thread (thread:get).
unexpected = 0

function init(args)
  for line in io.lines(args[1]) do
    if line ~= "" then members[#members + 1] = line end
  end
  headers["authorization"] = "Bearer " .. args[2]
  headers["content-type"] = "application/json"
  math.randomseed(tonumber(args[3]))
end

local function pick()
  return members[math.random(#members)]
end

function request()
  local roll = math.random()
  if roll < 0.5 then
    return wrk.format("POST", "/api/v1/points/earn", headers,
      string.format('{"memberId":"%s","points":%d,"reason":"bench earn"}', pick(), math.random(50)))
  elseif roll < 0.85 then
    return wrk.format("POST", "/api/v1/points/spend", headers,
      string.format('{"memberId":"%s","points":%d,"reason":"bench spend"}', pick(), math.random(20)))
  end
  local from, to = pick(), pick()
  while to == from do to = pick() end
  return wrk.format("POST", "/api/v1/points/transfer", headers,
    string.format('{"fromMemberId":"%s","toMemberId":"%s","points":%d}', from, to, math.random(10)))
end

function response(status, _, _)
  if status ~= 201 and status ~= 422 then unexpected = unexpected + 1 end
end

local threads = {}

function setup(thread)
  threads[#threads + 1] = thread
end

function done(summary, latency, _)
  local unexpectedAnswers = 0
  for _, thread in ipairs(threads) do unexpectedAnswers = unexpectedAnswers + thread:get("unexpected") end
  local errors = summary.errors
  io.write(string.format(
    '{"requests":%d,"durationUs":%d,"p50Us":%d,"p99Us":%d,"unexpectedAnswers":%d,"socketErrors":%d,"timeouts":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), unexpectedAnswers,
    errors.connect + errors.read + errors.write, errors.timeout))
end
