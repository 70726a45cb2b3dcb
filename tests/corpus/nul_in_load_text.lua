-- expect: exit 2
-- message: devices[1].count
-- load() of text with a NUL in a string: the loaded value must still be checked.
local f = load("return 'ten\\0'")
return { devices = { { count = f() } } }
