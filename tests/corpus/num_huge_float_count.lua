-- expect: exit 2
-- message: devices[1].count: must be <=
return { devices = { { count = 1e300 } } }
