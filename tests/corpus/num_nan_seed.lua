-- expect: exit 2
-- message: seed: expected an integer
return { seed = 0/0, devices = { { count = 1 } } }
