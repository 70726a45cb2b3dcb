-- expect: exit 2
-- message: stack overflow
local mtc = require "mtc"
local t = {}
for i = 1, 300000 do t = { t } end
local c = mtc.copy(t)
return { devices = { { count = 1 } } }
