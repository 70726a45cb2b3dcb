-- expect: exit 2
-- message: devices[1].self: unknown field
local g = { count = 10 }
g.self = g
return { devices = { g } }
