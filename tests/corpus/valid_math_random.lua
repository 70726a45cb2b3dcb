-- expect: exit 0
local n = math.random(10, 20)
return { devices = { { count = n } } }
