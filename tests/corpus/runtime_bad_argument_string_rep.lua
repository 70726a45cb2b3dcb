-- expect: exit 2
-- message: bad argument #2 to 'rep'
return { name = string.rep("x", "many"), devices = { { count = 1 } } }
