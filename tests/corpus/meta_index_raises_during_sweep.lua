-- expect: exit 2
-- message: sweep
local s = { devices = { { count = 1 } } }
return setmetatable(s, { __index = function(_, k) error("no " .. k) end })
