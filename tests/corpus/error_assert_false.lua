-- expect: exit 2
-- message: duration must be set
local duration
assert(duration, "duration must be set")
return { duration = duration, devices = { { count = 1 } } }
