-- expect: exit 2
-- message: attempt to compare
local losses = { 150, "140", 160 }
table.sort(losses)
return { devices = { { count = 1 } } }
