-- expect: exit 2
-- message: devices[1]
local g = { count = 10 }
setmetatable(g, { __index = g })
local h = setmetatable({}, { __index = g })
setmetatable(g, { __index = h })
return { devices = { g } }
