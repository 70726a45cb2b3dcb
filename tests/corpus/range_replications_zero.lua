-- expect: exit 2
-- message: replications: must be >= 1 (got 0)
return { replications = 0, devices = { { count = 1 } } }
