-- wrk script: POST /hit beacons as browsers send them (text/plain), each
-- request from a different reader (its own user agent), cycling over the
-- article ids in HIT_IDS (comma-separated).
local ids = {}
for id in string.gmatch(os.getenv("HIT_IDS") or "1", "%d+") do
  ids[#ids + 1] = id
end

local next_thread = 0
function setup(thread)
  thread:set("tid", next_thread)
  next_thread = next_thread + 1
end

local n = 0
function request()
  n = n + 1
  local ua = "Mozilla/5.0 (Linux; Android 14; reader " .. tid .. "-" .. n ..
    ") AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36"
  return wrk.format("POST", "/hit", {
    ["Content-Type"] = "text/plain;charset=UTF-8",
    ["User-Agent"] = ua,
  }, '{"id":' .. ids[(n % #ids) + 1] .. '}')
end
