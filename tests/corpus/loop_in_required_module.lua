-- expect: exit 2
-- message: endless loop
-- message: slowmod.lua:3:
-- noline: the loop is in the module, whose file and line are named
local slow = require "slowmod"
return { devices = { { count = 1 } } }
