-- expect: exit 2
-- message: attempt to compare
-- known-failing: lua/messages (an error raised inside table.sort carries no position)
local losses = { 150, "140", 160 }
table.sort(losses)
return { devices = { { count = 1 } } }
