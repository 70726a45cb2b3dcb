-- expect: exit 2
-- message: devices[1].count
return { devices = { { count = 0/0 } } }
