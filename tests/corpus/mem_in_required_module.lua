-- expect: exit 2
-- message: MiB
-- known-failing: lua/memory caps (the memory error names no line)
local big = require "bigmod"
return { devices = { { count = 1 } } }
