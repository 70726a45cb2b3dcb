-- expect: exit 2
-- message: error
local E = setmetatable({}, { __tostring = function() while true do end end })
error(E)
return { devices = { { count = 1 } } }
