-- expect: exit 2
-- message: devices[1].count: expected an integer, got 10.5
local n = 21
return { devices = { { count = n / 2 } } }
