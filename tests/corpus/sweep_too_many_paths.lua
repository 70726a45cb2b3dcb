-- expect: exit 2
-- message: more than 32 swept paths
local sw = {}
for i = 1, 33 do sw["devices[" .. i .. "].count"] = { 1 } end
local groups = {}
for i = 1, 33 do groups[i] = { count = 1 } end
return { devices = groups, sweep = sw }
