-- Shared by the wrk scripts: tokens from $BENCH_TOKENS (one a line), a different random
-- sequence per thread, and a JSON summary line for bench/load.py on stdout when done.
local M = {}

function M.load_tokens()
  local tokens = {}
  local path = os.getenv("BENCH_TOKENS")
  if path then
    for line in io.lines(path) do
      if #line > 0 then tokens[#tokens + 1] = line end
    end
  end
  return tokens
end

local counter = 0
function M.setup(thread)
  counter = counter + 1
  thread:set("thread_id", counter)
end

function M.done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    latency.mean, e.connect, e.read, e.write, e.status, e.timeout))
end

return M
