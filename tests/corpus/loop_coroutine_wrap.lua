-- expect: exit 2
-- message: endless loop
local spin = coroutine.wrap(function() while true do end end)
spin()
return { devices = { { count = 1 } } }
