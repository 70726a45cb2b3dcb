-- expect: exit 2
-- message: devices: must have 1 to 1000 items (got 1001)
local groups = {}
for i = 1, 1001 do groups[i] = { count = 1 } end
return { devices = groups }
