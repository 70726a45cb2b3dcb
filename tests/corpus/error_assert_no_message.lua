-- expect: exit 2
-- message: assertion failed!
assert(1 == 2)
return { devices = { { count = 1 } } }
