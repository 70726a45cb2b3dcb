-- expect: exit 2
-- message: seed: must be <= 9007199254740991
return { seed = 2^63, devices = { { count = 1 } } }
