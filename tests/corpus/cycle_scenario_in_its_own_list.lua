-- expect: exit 2
-- message: devices[2]
local s = { devices = { { count = 1 } } }
s.devices[2] = s
return s
