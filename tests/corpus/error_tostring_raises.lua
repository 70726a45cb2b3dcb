-- expect: exit 2
-- message: error
-- known-failing: lua/messages (an error object whose __tostring raises: no file:line)
local E = setmetatable({}, { __tostring = function() error("again") end })
error(E)
return { devices = { { count = 1 } } }
