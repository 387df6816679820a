-- wrk script for random saved links: each request asks for one id picked at
-- random from the file IDS (one id a line), at PATH_FMT (default /b/%s/go).
-- Prints one RESULT line like wrk-report.lua.
local ids = {}
for line in io.lines(os.getenv("IDS") or "ids.txt") do
  ids[#ids + 1] = line
end
local fmt = os.getenv("PATH_FMT") or "/b/%s/go"
local counter = 0

setup = function(thread)
  counter = counter + 1
  thread:set("seed", counter)
end

init = function(args)
  math.randomseed(os.time() * 1000 + (seed or 0))
end

request = function()
  return wrk.format("GET", string.format(fmt, ids[math.random(#ids)]))
end

done = function(summary, latency, requests)
  io.write(string.format("RESULT rps=%.0f p50_us=%d p99_us=%d errors=%d non2xx=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50), latency:percentile(99),
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
