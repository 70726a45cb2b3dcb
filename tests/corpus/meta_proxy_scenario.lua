-- expect: exit 2
-- message: devices
-- known-failing: lua/protected calls (a proxy root: the fields live behind __index; a raising or hidden field must be an error, not an abort or a silent default)
local real = { devices = { { count = 1 } }, duration = 60 }
return setmetatable({}, {
  __index = function(_, k)
    if k == "duration" then error("duration is computed later") end
    return real[k]
  end,
})
