-- expect: exit 2
-- message: MiB
-- known-failing: lua/memory caps (the memory error names no line)
local t = {}
for i = 1, 1 << 27 do t[i] = true end
return { devices = { { count = 1 } } }
