-- expect: exit 2
-- message: endless loop
-- known-failing: lua/instruction budget (__gc runs at lua_close without the budget: hangs)
setmetatable({}, { __gc = function() while true do end end })
return { devices = { { count = 10 } } }
