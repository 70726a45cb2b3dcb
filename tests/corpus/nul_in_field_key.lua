-- expect: exit 2
-- message: devices[1]
return { devices = { { count = 1, ["count\0x"] = 7 } } }
