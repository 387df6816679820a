-- wrk script: POST the basket in the file $BASKET (a JSON array of legs) to
-- the URL given to wrk, e.g. http://127.0.0.1:8080/api/v1/validate?as_of=2022-11-20,
-- and print one RESULT line (p50, p99, requests per second, errors).
local f = assert(io.open(os.getenv("BASKET"), "r"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"

done = function(summary, latency, requests)
  io.write(string.format("RESULT rps=%.0f p50_us=%d p99_us=%d errors=%d non2xx=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50), latency:percentile(99),
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
