-- expect: exit 2
-- message: devices[1]
-- 100000 unknown keys in one group: one error, not a flood.
local g = { count = 1 }
for i = 1, 100000 do g["field" .. i] = i end
return { devices = { g } }
