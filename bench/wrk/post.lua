-- POST /api/v1/statuses as a random person from $BENCH_TOKENS: each post is fanned out to
-- its author's followers by the `status.fan_out` job.
package.path = os.getenv("BENCH_WRK_DIR") .. "/?.lua;" .. package.path
local common = require("common")

local tokens
local sent = 0

setup = common.setup
done = common.done

function init(args)
  tokens = common.load_tokens()
  math.randomseed(os.time() * 100 + (thread_id or 0))
end

function request()
  sent = sent + 1
  local body = string.format("status=Benchmark+post+%d+from+thread+%d&visibility=public",
                             sent, thread_id or 0)
  return wrk.format("POST", "/api/v1/statuses", {
    ["Authorization"] = "Bearer " .. tokens[math.random(#tokens)],
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, body)
end
