-- expect: exit 2
-- message: stack overflow
-- known-failing: lua/messages (the overflow is raised inside mtc.lua: the scenario's line is not named)
local mtc = require "mtc"
local base = { count = 10 }
base.parent = base
local g = mtc.copy(base)
return { devices = { g } }
