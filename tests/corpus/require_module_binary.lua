-- expect: exit 2
-- message: compiled
-- message: binary
-- noline: the module is a binary chunk; its name and the reason are given
-- known-failing: lua/messages (a binary module is refused without naming the module file)
local m = require "compiled"
return { devices = { { count = 1 } } }
