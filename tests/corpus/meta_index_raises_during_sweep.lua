-- expect: exit 2
-- message: sweep
-- known-failing: lua/protected calls (sweep_read indexes the root through a raising __index: abort)
local s = { devices = { { count = 1 } } }
return setmetatable(s, { __index = function(_, k) error("no " .. k) end })
