-- expect: exit 2
-- message: resulting string too large
local pad = string.rep("x", 1 << 62)
return { devices = { { count = 1 } } }
