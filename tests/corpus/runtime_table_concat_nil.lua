-- expect: exit 2
-- message: invalid value (table) at index 2 in table for 'concat'
local parts = { "meters", {}, "north" }
return { name = table.concat(parts, "-"), devices = { { count = 1 } } }
