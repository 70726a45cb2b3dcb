-- expect: exit 2
-- message: endless loop
local ok = xpcall(function() while true do end end, function(m) return m end)
return { devices = { { count = 1 } } }
