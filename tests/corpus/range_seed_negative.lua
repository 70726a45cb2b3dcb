-- expect: exit 2
-- message: seed: must be >= 0 (got -7)
return { seed = -7, devices = { { count = 1 } } }
