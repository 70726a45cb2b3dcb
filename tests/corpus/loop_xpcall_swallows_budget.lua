-- expect: exit 2
-- message: endless loop
-- known-failing: lua/instruction budget (xpcall catches the budget error and the script goes on)
local ok = xpcall(function() while true do end end, function(m) return m end)
return { devices = { { count = 1 } } }
