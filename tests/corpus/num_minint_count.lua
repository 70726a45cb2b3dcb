-- expect: exit 2
-- message: devices[1].count: must be >= 1
return { devices = { { count = math.mininteger } } }
