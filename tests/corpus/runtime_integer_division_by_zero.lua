-- expect: exit 2
-- message: attempt to divide by zero
local groups = 0
return { devices = { { count = 100 // groups } } }
