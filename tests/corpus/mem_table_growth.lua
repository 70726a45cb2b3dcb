-- expect: exit 2
-- message: MiB
local t = {}
for i = 1, 1 << 27 do t[i] = true end
return { devices = { { count = 1 } } }
