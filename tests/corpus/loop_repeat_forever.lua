-- expect: exit 2
-- message: endless loop
-- line: 5
local n = 0
repeat n = n + 1 until n < 0
return { devices = { { count = n } } }
