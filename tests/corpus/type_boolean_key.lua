-- expect: exit 2
-- message: devices[1][boolean key]
return { devices = { { count = 1, [true] = 1 } } }
