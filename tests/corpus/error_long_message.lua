-- expect: exit 2
-- message: xxxxxxxxxx
error(string.rep("x", 100000))
return { devices = { { count = 1 } } }
