-- expect: exit 2
-- message: scenario
-- known-failing: lua/instruction budget (a backtracking pattern runs inside C where the count hook never fires: hangs)
local s = string.rep("a", 5000)
local found = s:find(".-.-.-.-.-b")
return { devices = { { count = 1 } } }
