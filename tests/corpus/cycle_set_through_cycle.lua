-- expect: exit 2
-- message: --set devices[1].me.count=3
-- args: check --set devices[1].me.count=3
-- noline: a --set argument error names the argument
local g = { count = 1 }
g.me = g
return { devices = { g } }
