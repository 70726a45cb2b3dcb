-- expect: exit 2
-- message: name: expected a string, got integer
return { name = 42, devices = { { count = 1 } } }
