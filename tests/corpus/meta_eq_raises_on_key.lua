-- expect: exit 2
-- message: devices[1]
local weird = setmetatable({}, { __eq = function() error("never compared") end })
return { devices = { { count = 1, [weird] = true } } }
