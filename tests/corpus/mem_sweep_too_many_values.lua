-- expect: exit 2
-- message: expected 1 to 100000 values
local v = {}
for i = 1, 100001 do v[i] = i end
return { devices = { { count = 1 } }, sweep = { ["devices[1].count"] = v } }
