-- expect: exit 2
-- message: error
-- known-failing: lua/instruction budget (an error object whose __tostring never returns must not hang the report)
local E = setmetatable({}, { __tostring = function() while true do end end })
error(E)
return { devices = { { count = 1 } } }
