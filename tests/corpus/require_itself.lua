-- expect: exit 2
-- message: require_itself
-- known-failing: lua/messages (a scenario requiring itself recurses until a C stack overflow with no file:line)
local me = require "require_itself"
return { devices = { { count = 1 } } }
