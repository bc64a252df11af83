-- GET $BENCH_PATH (default: the home timeline) with a bearer token picked per request from
-- $BENCH_TOKENS, so the load looks like many people reading, not one.
package.path = os.getenv("BENCH_WRK_DIR") .. "/?.lua;" .. package.path
local common = require("common")

local path = os.getenv("BENCH_PATH") or "/api/v1/timelines/home?limit=20"
local tokens

setup = common.setup
done = common.done

function init(args)
  tokens = common.load_tokens()
  math.randomseed(os.time() * 100 + (thread_id or 0))
end

function request()
  local headers = {}
  if #tokens > 0 then
    headers["Authorization"] = "Bearer " .. tokens[math.random(#tokens)]
  end
  return wrk.format("GET", path, headers)
end
