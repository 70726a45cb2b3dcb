-- expect: exit 2
-- message: MiB
local pad = ("x"):rep(1 << 30)
return { devices = { { count = 1 } } }
