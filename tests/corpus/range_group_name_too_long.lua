-- expect: exit 2
-- message: devices[1].name: must be at most
return { devices = { { name = string.rep("n", 5000), count = 1 } } }
