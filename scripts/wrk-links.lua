-- wrk script for saved links: each request asks for one id picked at random
-- from the file IDS (one id a line), at PATH_FMT (default /b/%s/go: one %s,
-- where the id goes, and no other %).
-- With START set, the ids are taken in order instead, from line START on,
-- each of the THREADS threads (default 2, as wrk -t) every THREADS-th one: to
-- warm a server up, every id once.
-- A request is spelled out by hand, not with wrk.format (which builds a table
-- of headers each time): wrk shares the machine with the server, and its work
-- per request should cost the links no more than it costs /livez, which wrk
-- sends as it is.
-- Prints one RESULT line like wrk-report.lua, with the request count.
local ids = {}
for line in io.lines(os.getenv("IDS") or "ids.txt") do
  ids[#ids + 1] = line
end
local fmt = os.getenv("PATH_FMT") or "/b/%s/go"
local start = tonumber(os.getenv("START") or "")
local threads = tonumber(os.getenv("THREADS") or "2")

local counter = 0
setup = function(thread)
  counter = counter + 1
  thread:set("seed", counter)
end

local n = 0
local before, after, tail
init = function(args)
  math.randomseed(os.time() * 1000 + seed)
  n = seed - 1
  before, after = fmt:match("^([^%%]*)%%s([^%%]*)$")
  if not before then
    error("PATH_FMT must hold one %s, where the id goes, and no other %: " .. fmt)
  end
  -- The headers wrk.format would send: Host, and any given with -H.
  local headers = {}
  for name, value in pairs(wrk.headers) do
    headers[#headers + 1] = name .. ": " .. value .. "\r\n"
  end
  tail = after .. " HTTP/1.1\r\n" .. table.concat(headers) .. "\r\n"
end

request = function()
  local i
  if start then
    i = (start + n) % #ids + 1
    n = n + threads
  else
    i = math.random(#ids)
  end
  return "GET " .. before .. ids[i] .. tail
end

done = function(summary, latency, requests)
  io.write(string.format("RESULT rps=%.0f p50_us=%d p99_us=%d errors=%d non2xx=%d requests=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50), latency:percentile(99),
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, summary.requests))
end
