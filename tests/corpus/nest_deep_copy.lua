-- expect: exit 2
-- message: stack overflow
-- known-failing: lua/messages (the overflow is raised inside mtc.lua: the scenario's line is not named)
local mtc = require "mtc"
local t = {}
for i = 1, 300000 do t = { t } end
local c = mtc.copy(t)
return { devices = { { count = 1 } } }
