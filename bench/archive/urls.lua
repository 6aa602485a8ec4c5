-- wrk script: GET the paths listed in a file (one percent-encoded path a
-- line), each thread its own share (line i goes to thread i mod THREADS), so
-- that no two requests of a run ask for the same path.
--
-- Environment:
--   URLS       the file of paths (required)
--   THREADS    wrk's -t, to share the lines out (1)
--   WRAP       1: start a thread's share again when it is used up (repeats
--              allowed, for nginx); otherwise a thread that has used up its
--              share stops the whole run (see below)
--   EXHAUSTED  a file created when a share is used up (optional)
--
-- Stopping: wrk has no way for a script to end a run early, and a thread
-- that stops alone leaves wrk sleeping until -d is over, which would count
-- idle time into req/s. So the thread that runs out stops itself and sends
-- wrk (its own process) SIGINT, as Ctrl-C would: wrk ends the run within
-- 0.1 s and reports the time actually taken. The other threads' connections
-- may send a few more requests meanwhile, and this thread's open connections
-- repeat its last path once each.

local next_tid = 0
function setup(thread)
  thread:set("tid", next_tid)
  next_tid = next_tid + 1
end

local paths = {}
local i = 0
local wrap = false
local stopped = false
local wrk_pid

function init(args)
  local threads = tonumber(os.getenv("THREADS") or "1")
  wrap = os.getenv("WRAP") == "1"
  local file = assert(os.getenv("URLS"), "URLS is not set")
  local f = assert(io.open(file, "r"))
  local n = 0
  for line in f:lines() do
    if line ~= "" then
      if n % threads == tid then
        paths[#paths + 1] = line
      end
      n = n + 1
    end
  end
  f:close()
  assert(#paths > 0, "no paths for thread " .. tid .. " in " .. file)
  local stat = io.open("/proc/self/stat", "r")
  if stat then
    wrk_pid = stat:read("*l"):match("^(%d+)")
    stat:close()
  end
end

local function exhausted()
  stopped = true
  local marker = os.getenv("EXHAUSTED")
  if marker and marker ~= "" then
    local m = io.open(marker, "w")
    if m then m:close() end
  end
  wrk.thread:stop()
  if wrk_pid then
    -- Not os.execute: system() ignores SIGINT in the whole process while it
    -- waits, which would swallow the signal. Linux gives a signal sent to
    -- the process to its main thread, which is sleeping out -d.
    local kill = io.popen("kill -INT " .. wrk_pid)
    if kill then kill:close() end
  end
end

function request()
  i = i + 1
  if i > #paths then
    if wrap then
      i = 1
    else
      if not stopped then exhausted() end
      i = #paths
    end
  end
  return wrk.format("GET", paths[i])
end
