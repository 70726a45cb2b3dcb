-- expect: exit 2
-- message: error
-- known-failing: lua/messages (error() raises nil: no file:line)
local ok = false
if not ok then error() end
return { devices = { { count = 1 } } }
