-- expect: exit 2
-- message: MiB
-- known-failing: lua/memory caps (the memory error names no line)
local pad = ("x"):rep(1 << 30)
return { devices = { { count = 1 } } }
