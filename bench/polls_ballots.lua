-- wrk script for bench/polls_ballots.py: every request a new voter's ballot.
--
-- Each wrk thread has exactly one connection (--threads equals --connections),
-- so a response always answers the request its thread sent last: the script
-- knows which options every accepted ballot chose and which voter cookie the
-- server issued for it. Settings come from the environment (BALLOT_*); the
-- results go to files in BALLOT_OUT (one per thread), read by polls_ballots.py.
-- A request wrk sends and never hears back about (it happens, rarely, with
-- servers that close every connection) is reported as unknown.

local path = os.getenv("BALLOT_PATH")
local origin = os.getenv("BALLOT_ORIGIN")
local json = os.getenv("BALLOT_MODE") == "json"
local max_choices = tonumber(os.getenv("BALLOT_MAX_CHOICES"))
local quota = tonumber(os.getenv("BALLOT_QUOTA"))
local replay_share = tonumber(os.getenv("BALLOT_REPLAY_SHARE") or "0")
local cookie_name = os.getenv("BALLOT_COOKIE")
local out = os.getenv("BALLOT_OUT")
local options = {}
for id in string.gmatch(os.getenv("BALLOT_OPTIONS"), "%d+") do
  options[#options + 1] = id
end

local threads = {}

function setup(thread)
  threads[#threads + 1] = thread
  thread:set("number", #threads)
end

function init(args)
  math.randomseed(number * 7919 + 1)
  sent = 0
  issued = {}   -- cookies to replay
  pending = nil -- the request sent last, until its response comes
  -- One line per outcome, written as it happens: a thread whose last request
  -- never gets an answer still leaves everything else it saw.
  log = io.open(out .. "/thread-" .. number .. ".txt", "w")
end

local function note(...)
  log:write(...)
  log:write("\n")
  log:flush()
end

local function random_choice()
  local pool, chosen = {}, {}
  for i, id in ipairs(options) do pool[i] = id end
  for i = 1, math.random(1, max_choices) do
    local j = math.random(i, #pool)
    pool[i], pool[j] = pool[j], pool[i]
    chosen[i] = pool[i]
  end
  return chosen
end

function request()
  if pending ~= nil then
    note("unknown") -- the connection broke: the server may or may not have counted it
  end
  local replay = #issued > 0 and math.random() < replay_share
  local chosen = random_choice()
  local headers = {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Origin"] = origin,
    -- As the trusted local proxy would send it: the rate window sees many addresses.
    ["X-Forwarded-For"] = string.format(
      "10.%d.%d.%d", math.random(0, 15), math.random(0, 15), math.random(0, 15)),
  }
  if json then
    headers["Accept"] = "application/json"
  end
  if replay then
    headers["Cookie"] = cookie_name .. "=" .. issued[math.random(#issued)]
  end
  pending = { chosen = chosen, replay = replay }
  sent = sent + 1
  return wrk.format("POST", path, headers, "option=" .. table.concat(chosen, "&option="))
end

function response(status, headers, body)
  local answered = pending
  pending = nil
  if answered == nil then
    return
  end
  local ok = (json and status == 200) or (not json and status == 302)
  if answered.replay then
    if status == 409 then
      note("replay_refused")
    elseif ok then
      note("replay_counted")
    else
      note("other ", status)
    end
  elseif ok then
    local cookie = string.match(headers["Set-Cookie"] or "", cookie_name .. "=([^;]+)")
    if cookie == nil then
      note("other accepted-without-a-cookie")
    else
      note("accepted ", cookie, " ", table.concat(answered.chosen, ","))
      if #issued < 500 then
        issued[#issued + 1] = cookie
      end
    end
  else
    note("other ", status)
  end
  if sent >= quota then
    note("done")
    log:close()
    -- The marker tells the bench this thread is finished.
    io.open(out .. "/done-" .. number, "w"):close()
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local file = io.open(out .. "/latency.txt", "w")
  file:write("p50_us ", latency:percentile(50), "\n")
  file:write("p99_us ", latency:percentile(99), "\n")
  file:close()
end
