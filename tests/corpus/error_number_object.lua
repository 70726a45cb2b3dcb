-- expect: exit 2
-- message: 42
error(42)
return { devices = { { count = 1 } } }
