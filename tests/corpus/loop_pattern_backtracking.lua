-- expect: exit 2
-- message: scenario
-- Stuck inside C: the CPU-time limit of the load ends it (exit 2, about 6 s).
local s = string.rep("a", 5000)
local found = s:find(".-.-.-.-.-b")
return { devices = { { count = 1 } } }
