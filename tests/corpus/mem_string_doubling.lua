-- expect: exit 2
-- message: MiB
local s = ("x"):rep(1 << 27)
while true do s = s .. s end
return { devices = { { count = 10 } } }
