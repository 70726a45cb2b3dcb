-- expect: exit 2
-- message: only numbers, strings and booleans can be swept
local s = { devices = { { count = 1 } } }
s.sweep = { ["devices[1].count"] = { 1, s } }
return s
