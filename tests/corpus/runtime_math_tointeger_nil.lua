-- expect: exit 2
-- message: devices[1].count: required field is missing
-- math.tointeger(2.5) is nil: the group has no count.
return { devices = { { count = math.tointeger(2.5) } } }
