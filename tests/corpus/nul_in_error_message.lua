-- expect: exit 2
-- message: bad value
-- message: after the NUL
error("bad value\0after the NUL")
return { devices = { { count = 1 } } }
