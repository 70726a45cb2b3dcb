-- expect: exit 2
-- message: has a metatable
-- A proxy root (fields behind __index) is refused, not read as an empty scenario.
local real = { devices = { { count = 1 } }, duration = 60 }
return setmetatable({}, {
  __index = function(_, k)
    if k == "duration" then error("duration is computed later") end
    return real[k]
  end,
})
