-- expect: exit 2
-- message: error
local E = setmetatable({}, { __tostring = function() error("again") end })
error(E)
return { devices = { { count = 1 } } }
