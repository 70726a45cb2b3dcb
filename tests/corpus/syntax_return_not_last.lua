-- expect: exit 2
-- message: <eof> expected
return { devices = { { count = 1 } } }
local unreachable = 1
