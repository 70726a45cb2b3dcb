-- expect: exit 2
-- message: attempt to compare
local n
local count = 10
if count > n then count = n end
return { devices = { { count = count } } }
