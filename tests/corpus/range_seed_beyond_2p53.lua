-- expect: exit 2
-- message: seed: must be <= 9007199254740991
return { seed = (1 << 53) + 1, devices = { { count = 1 } } }
