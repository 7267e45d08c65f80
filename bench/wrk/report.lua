-- wrk script for bench/load_bench.py: counts responses by status class and prints one line of numbers at the end,
-- `BENCH_RESULT {...}` (JSON), which the harness parses. Latencies are in microseconds.
--   wrk -s bench/wrk/report.lua http://127.0.0.1:8000/ -- 200      (the status every response should have)

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  expected = tonumber(args[1]) or 200
  s1xx, s2xx, s3xx, s4xx, s5xx, unexpected = 0, 0, 0, 0, 0, 0
end

function response(status, headers, body)
  if status >= 500 then s5xx = s5xx + 1
  elseif status >= 400 then s4xx = s4xx + 1
  elseif status >= 300 then s3xx = s3xx + 1
  elseif status >= 200 then s2xx = s2xx + 1
  else s1xx = s1xx + 1 end
  if status ~= expected then unexpected = unexpected + 1 end
end

function done(summary, latency, requests)
  local counts = {s1xx = 0, s2xx = 0, s3xx = 0, s4xx = 0, s5xx = 0, unexpected = 0}
  for _, thread in ipairs(threads) do
    for name, _ in pairs(counts) do
      counts[name] = counts[name] + (thread:get(name) or 0)
    end
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"rps": %.2f, "p50_us": %d, "p95_us": %d, "p99_us": %d, "mean_us": %.1f, "max_us": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"status": {"1xx": %d, "2xx": %d, "3xx": %d, "4xx": %d, "5xx": %d, "unexpected": %d}}\n',
    summary.requests, summary.duration, summary.bytes,
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.mean, latency.max,
    e.connect, e.read, e.write, e.status, e.timeout,
    counts.s1xx, counts.s2xx, counts.s3xx, counts.s4xx, counts.s5xx, counts.unexpected))
end
