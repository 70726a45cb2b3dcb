-- expect: exit 2
-- message: helpers
-- known-failing: lua/messages (a folder helpers.lua: the read error names neither the scenario line nor the reason clearly)
local helpers = require "helpers"
return { devices = { { count = 10 } } }
