-- expect: exit 2
-- message: devices[1]
-- known-failing: lua/protected calls (an __index loop met during conversion raises outside a protected call: abort)
local g = { count = 10 }
setmetatable(g, { __index = g })
local h = setmetatable({}, { __index = g })
setmetatable(g, { __index = h })
return { devices = { g } }
